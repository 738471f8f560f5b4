"""What a persona card advises and lists: the playbook of actions by archetype (only the advice the
file's data supports), the actions for a segment named by its traits, and the products a segment's
customers buy more than the others do."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from persona_desktop.core.segments.names import MONETARY

__all__ = ["PLAYBOOK", "MIN_BUYERS", "SPEND_WORDS", "supported_actions", "generic_actions", "products_bought_more"]


PLAYBOOK = {
    "wholesale": ["action.wholesale", "action.vip"],
    "top_customers": ["action.vip", "action.personal_thanks", "action.referral"],
    "vip_regulars": ["action.vip", "action.referral", "action.cross_sell"],
    "slipping_big": ["action.personal_winback", "action.survey"],
    "high_value": ["action.vip", "action.cross_sell"],
    "lapsed_one_time": ["action.winback_discount", "action.low_cost"],
    "new_first_time": ["action.onboarding", "action.second_purchase"],
    "new_customers": ["action.onboarding", "action.loyalty"],
    "one_time": ["action.second_purchase", "action.newsletter"],
    "loyal_regulars": ["action.loyalty", "action.cross_sell", "action.referral"],
    "active": ["action.cross_sell", "action.newsletter"],
    "quiet_regulars": ["action.winback_discount", "action.survey"],
    "lapsed": ["action.winback_discount", "action.low_cost"],
    "small_spenders": ["action.basket_size", "action.newsletter"],
    "typical": ["action.newsletter", "action.cross_sell"],
    "noise": ["action.review_noise", "action.newsletter"],
    "frequent_returners": ["action.returns_review", "action.product_info"],
    # the named RFM groups
    "rfm.champions": ["action.vip", "action.referral", "action.cross_sell"],
    "rfm.loyal": ["action.loyalty", "action.cross_sell", "action.referral"],
    "rfm.potential_loyalists": ["action.loyalty", "action.cross_sell"],
    "rfm.new_customers": ["action.onboarding", "action.second_purchase"],
    "rfm.promising": ["action.second_purchase", "action.newsletter"],
    "rfm.need_attention": ["action.winback_discount", "action.cross_sell"],
    "rfm.about_to_sleep": ["action.winback_discount", "action.newsletter"],
    "rfm.at_risk": ["action.personal_winback", "action.winback_discount"],
    "rfm.cant_lose_them": ["action.personal_winback", "action.survey", "action.vip"],
    "rfm.hibernating": ["action.winback_discount", "action.low_cost"],
    "rfm.lost": ["action.low_cost", "action.survey"],
}


MIN_BUYERS = 5  # a product is a segment's own only when at least this many of its customers bought it

# what a customer pays or buys: a shop's spend, a subscription's charges (Telco's MonthlyCharges)
SPEND_WORDS = re.compile(r"(?i)spend|spent|score|purchase|order|revenue|sales|charge|bill|paid|payment|amount|price"
                          r"|消费|购买|订单|金额|销售|费|付款|支付|实付")


def supported_actions(actions: list[str], purchases: bool, products: bool) -> list[str]:
    """The actions the file's data supports: none without purchases, no cross-selling without products."""
    if not purchases:
        return []
    kept = [a for a in actions if products or a != "action.cross_sell"]
    for extra in ("action.newsletter", "action.ask_next"):  # advice that needs no product list
        if len(kept) < len(actions) and len(kept) < 2 and extra not in kept:
            kept.append(extra)
    return kept


def generic_actions(eff: pd.Series) -> list[str]:
    actions = []
    high = [f for f in eff.index if eff[f] >= 0.5]
    low = [f for f in eff.index if eff[f] <= -0.5]
    if any("income" in f.lower() for f in high) and any("spend" in f.lower() or "score" in f.lower() for f in low):
        actions.append("action.premium")
    if any("income" in f.lower() for f in low) and any("spend" in f.lower() or "score" in f.lower() for f in high):
        actions.append("action.budget")
    if any("spend" in f.lower() or "score" in f.lower() or f == MONETARY for f in high):
        actions += ["action.vip", "action.loyalty"]
    if any("spend" in f.lower() or "score" in f.lower() or f == MONETARY for f in low):
        actions += ["action.basket_size"]
    actions += ["action.cross_sell", "action.newsletter"]
    return list(dict.fromkeys(actions))


def products_bought_more(lines: pd.DataFrame, key: str | None, product: str | None,
                   customers: pd.DataFrame, labels: np.ndarray) -> dict[int, list[dict]]:
    """Per segment, the products its customers buy more often than the other customers do.

    The best-sellers of a shop top every segment's list alike (the owner saw the same five
    products on every card): a product is listed for a segment when at least a few of its
    customers bought it (:data:`MIN_BUYERS`, or 2 % of the segment) and a larger share of them
    than of the other segments' customers, ranked by that difference. A segment buying nothing
    more than the others lists nothing: the card would otherwise claim what its figures do not show.
    """
    if not key or not product or key not in lines or product not in lines or key not in customers:
        return {}
    seg_of = pd.Series(labels, index=customers[key].astype("str").to_numpy())
    # duplicates dropped before the text conversion, and the conversion done in slices: each
    # pandas call holds the GIL, and a desktop window must not wait long for it
    pairs = lines[[key, product]].dropna().drop_duplicates()
    pairs = pd.concat([pairs.iloc[i:i + 50_000].astype("str") for i in range(0, len(pairs), 50_000)]
                      or [pairs.astype("str")]).drop_duplicates()
    at = pd.Index(seg_of.index).get_indexer(pairs[key])  # hashed in one call, not a Python lookup per row
    pairs = pairs[at >= 0].assign(segment=np.asarray(labels)[at[at >= 0]])
    n_all = max(len(seg_of), 1)
    buyers = pairs.groupby(["segment", product])[key].nunique()
    everyone = buyers.groupby(level=product).sum()
    overall = everyone / n_all
    sizes = seg_of.value_counts()
    out: dict[int, list[dict]] = {}
    for seg_id, counts in buyers.groupby(level="segment"):
        counts = counts.droplevel("segment")
        size = max(int(sizes.get(seg_id, 1)), 1)
        share = counts / size
        others = max(n_all - size, 1)
        rest = (everyone.reindex(counts.index) - counts) / others  # the other customers' share
        enough = counts >= max(MIN_BUYERS, 0.02 * size)
        more = (share - rest)[enough & (share > rest)].sort_values(ascending=False, kind="stable")
        picked = list(more.index[:5])  # none when it buys nothing more than the others: nothing is claimed
        out[int(seg_id)] = [{"product": str(p).strip(), "customers_share": round(float(share[p]), 4),
                             "lift": round(float(share[p] / overall[p]), 2) if overall[p] else None} for p in picked]
    return out
