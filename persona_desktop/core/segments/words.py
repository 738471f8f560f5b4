"""The words of persona cards, in English and Chinese.

Names, traits, churn-risk levels and the action playbook live here so that
:mod:`persona_desktop.core.segments.personas` holds only the logic that picks them.
"""

from __future__ import annotations

from persona_desktop.core.i18n import register, tr

__all__ = ["percent_text", "money_text"]


def percent_text(value: float | None, digits: int = 0) -> str:
    """A share as people read it: "37%", a tiny one as "<1%" (never "0%" for a few customers), None as "—"."""
    if value is None:
        return "—"
    smallest = 10.0 ** -digits / 100
    if 0 < value < smallest:
        return f"<{smallest:.{digits}%}"
    return f"{value:.{digits}%}"


def money_text(value: float | None, currency: str | None = None) -> str:
    """An amount with the file's currency symbol when it has one: "¥1,234", "$86.50", "1,234"."""
    if value is None:
        return "—"
    text = f"{abs(value):,.0f}" if abs(value) >= 1000 else f"{abs(value):,.2f}"
    return ("-" if value < 0 else "") + (currency or "") + text


def card_money(money: dict, currency: str | None, lang: str | None = None) -> str:
    """"average spend ¥1,234 · average order ¥86" for a card, or "" without money figures."""
    parts = []
    if money.get("avg_spend") is not None:
        parts.append(tr("card.avg_spend", lang, value=money_text(money["avg_spend"], currency)))
    if money.get("avg_order_value") is not None:
        parts.append(tr("card.avg_order", lang, value=money_text(money["avg_order_value"], currency)))
    return " · ".join(parts)

# Display names of the computed customer features (and well-known roles).
register({
    "risk.low": ("low", "低"), "risk.medium": ("medium", "中"), "risk.high": ("high", "高"), "risk.unknown": ("—", "—"),
    "feature.recency_days": ("days since last order", "距上次下单天数"),
    "feature.frequency": ("orders", "订单数"),
    "feature.monetary": ("net spend", "净消费额"),
    "feature.tenure_days": ("days since first order", "距首次下单天数"),
    "feature.avg_order_value": ("average order value", "平均客单价"),
    "feature.items_per_order": ("items per order", "每单件数"),
    "feature.distinct_products": ("different products bought", "购买商品种类数"),
    "feature.refund_rate": ("refund rate", "退款率"),
    "feature.age": ("age", "年龄"),
    "feature.income": ("income", "收入"),
})

# Archetype names: (English, Chinese)
register({
    "persona.wholesale": ("Wholesale-size buyers", "批发级大客户"),
    "persona.top_customers": ("Top customers", "顶级客户"),
    "persona.vip_regulars": ("High-spending regulars", "高消费常客"),
    "persona.slipping_big": ("Big spenders slipping away", "正在流失的大客户"),
    "persona.high_value": ("High-value customers", "高价值客户"),
    "persona.lapsed_one_time": ("Lapsed one-time buyers", "流失的一次性客户"),
    "persona.new_first_time": ("New first-time buyers", "新近首购客户"),
    "persona.new_customers": ("New customers", "新客户"),
    "persona.one_time": ("One-time buyers", "一次性客户"),
    "persona.loyal_regulars": ("Loyal regulars", "忠实常客"),
    "persona.active": ("Active customers", "活跃客户"),
    "persona.quiet_regulars": ("Former regulars going quiet", "渐渐沉寂的老顾客"),
    "persona.lapsed": ("Lapsed customers", "流失客户"),
    "persona.small_spenders": ("Occasional small spenders", "偶尔小额消费客户"),
    "persona.typical": ("Typical customers", "普通客户"),
    "persona.noise": ("Unusual customers (no group)", "特殊客户（未归组）"),
    "persona.frequent_returners": ("Frequent returners", "高频退货客户"),
    "persona.level.high": ("High {feature}", "{feature}偏高"),
    "persona.level.low": ("Low {feature}", "{feature}偏低"),
    "persona.level.older": ("Older", "年龄偏大"),
    "persona.level.younger": ("Younger", "年龄偏小"),
    "persona.level.share": ("Mostly {value}", "以{value}为主"),
    "persona.join": ("{a} · {b}", "{a} · {b}"),
})

register({
    "card.avg_spend": ("average spend {value}", "平均消费 {value}"),
    "card.avg_order": ("average order {value}", "平均客单价 {value}"),
})

# Traits
register({
    "trait.spend_ratio": ("spends {ratio}× the average customer", "消费额是平均客户的 {ratio} 倍"),
    "trait.spend_typical": ("typical spend {ratio}× the typical customer's ({value} vs {overall}, medians)",
                            "消费额中位数是全部客户的 {ratio} 倍（{value}，全部客户 {overall}）"),
    "trait.spend_low": ("spends {pct}% less than the average customer", "消费额比平均客户少 {pct}%"),
    "trait.recency": ("last order {days} days ago on average (all customers: {overall})",
                      "平均 {days} 天前最后一次下单（全部客户：{overall} 天）"),
    "trait.frequency": ("{value} orders on average (all customers: {overall})", "平均下单 {value} 次（全部客户：{overall} 次）"),
    "trait.one_time": ("{pct}% bought only once", "{pct}% 的客户只购买过一次"),
    "trait.tenure": ("first order {days} days ago on average (all customers: {overall})",
                     "平均 {days} 天前首次下单（全部客户：{overall} 天）"),
    "trait.higher": ("{feature} {ratio}× the average ({value} vs {overall})", "{feature}是平均的 {ratio} 倍（{value}，平均 {overall}）"),
    "trait.lower": ("{feature} {pct}% below the average ({value} vs {overall})", "{feature}比平均低 {pct}%（{value}，平均 {overall}）"),
    "trait.share": ("{pct}% {value} (all customers: {overall}%)", "{pct}% 为{value}（全部客户：{overall}%）"),
    "rule.le": ("{feature} ≤ {value}", "{feature} ≤ {value}"),
    "rule.gt": ("{feature} > {value}", "{feature} > {value}"),
    "rule.ge": ("{feature} ≥ {value}", "{feature} ≥ {value}"),
    "rule.between_ge": ("{low} ≤ {feature} ≤ {high}", "{low} ≤ {feature} ≤ {high}"),
    "rule.between_gt": ("{low} < {feature} ≤ {high}", "{low} < {feature} ≤ {high}"),
    "trait.differs": ("{feature} {value} on average (all customers: {overall})", "{feature}平均为 {value}（全部客户：{overall}）"),
    "trait.near": ("{feature} close to the average ({value} vs {overall})", "{feature}接近平均（{value}，平均 {overall}）"),
    "trait.average": ("close to the average customer on every measure", "各项指标都接近平均水平"),
    "rule.and": (" and ", " 且 "),
    "rule.none": ("no simple rule describes this group", "没有简单规则能描述这一组"),
})

# Churn risk
register({
    "churn.low": ("low", "低"),
    "churn.medium": ("medium", "中"),
    "churn.high": ("high", "高"),
    "churn.unknown": ("unknown (no order dates)", "未知（无下单日期）"),
    "churn.detail": ("{pct}% are overdue for their next order by their own buying rhythm",
                     "按各自的购买节奏，{pct}% 的客户已逾期未再次下单"),
})

# Playbook of actions
register({
    "action.vip": ("VIP perks: early access, free shipping, a personal thank-you", "VIP 待遇：新品抢先购、包邮、亲笔感谢"),
    "action.personal_thanks": ("A personal thank-you and first look at what is new", "亲自致谢，并抢先体验新品"),
    "action.referral": ("Ask for reviews and referrals — they are your best advocates", "邀请评价和转介绍——他们是最好的口碑来源"),
    "action.personal_winback": ("Personal win-back: a call or a hand-written note with an offer", "一对一挽回：电话或手写信附专属优惠"),
    "action.survey": ("Ask why they stopped buying (a two-question survey)", "询问停止购买的原因（两个问题的小问卷）"),
    "action.winback_discount": ("Win-back offer: a time-limited discount", "召回优惠：限时折扣"),
    "action.low_cost": ("Keep contact cheap: newsletter only, no costly offers", "低成本维系：仅发送简报，不投入高成本优惠"),
    "action.onboarding": ("Onboarding series: welcome, how-to, second-purchase coupon", "新客培育：欢迎信、使用指南、二次购买优惠券"),
    "action.second_purchase": ("Second-purchase incentive within 30 days", "30 天内二次购买激励"),
    "action.loyalty": ("Loyalty programme: points or a members' price", "会员计划：积分或会员价"),
    "action.cross_sell": ("Cross-sell bundle with what they already buy", "基于已购商品的组合搭售"),
    "action.basket_size": ("Raise basket size: a free-shipping threshold or a bundle", "提升客单价：满额包邮或组合套餐"),
    "action.newsletter": ("Regular newsletter with new products", "定期推送新品简报"),
    "action.wholesale": ("Account management: volume pricing and a direct contact", "大客户管理：阶梯价格和专人对接"),
    "action.premium": ("Introduce premium products", "推荐高端产品"),
    "action.budget": ("Budget-friendly bundles and promotions", "高性价比套餐与促销"),
    "action.returns_review": ("Look at what they return and why: sizes, photos, descriptions",
                              "查看他们退回的商品和原因：尺码、图片、描述"),
    "action.ask_next": ("Ask what they would like to buy next (a one-question survey)",
                        "询问他们接下来想买什么（一个问题的小问卷）"),
    "action.product_info": ("Better product information before they buy (sizes, photos)",
                            "购买前提供更清楚的商品信息（尺码、实物图）"),
    "action.review_noise": ("Review these customers one by one: they fit no group", "逐一查看这些客户：他们不属于任何一组"),
})
