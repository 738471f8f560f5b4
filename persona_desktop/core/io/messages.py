"""English and Chinese texts of the reader's errors, warnings and progress."""

from persona_desktop.core.i18n import register

register({
    # errors
    "read.not_found": ("{file}: no such file", "{file}：文件不存在"),
    "read.is_dir": ("{file} is a folder, not a file", "{file} 是文件夹，不是文件"),
    "read.unreadable": ("{file} cannot be opened ({reason}); it may be open in another program or locked",
                        "无法打开 {file}（{reason}）；它可能正被其他程序占用或被锁定"),
    "read.empty": ("{file} is empty", "{file} 是空文件"),
    "read.too_many_columns": ("{file} has at least {columns:,} columns; Persona Desktop reads tables of up to {limit:,} "
                              "columns (a shop export has a few dozen). Is it saved the other way round?",
                              "{file} 至少有 {columns:,} 列；Persona Desktop 最多读取 {limit:,} 列的表格（店铺导出通常只有"
                              "几十列）。是否行列颠倒保存了？"),
    "read.no_rows": ("{file} has a header but no data rows", "{file} 只有表头，没有数据行"),
    "read.binary": ("{file} is not a table: it holds binary data, not text or a spreadsheet",
                    "{file} 不是表格：它包含二进制数据，既不是文本也不是电子表格"),
    "read.password": ("{file} is password-protected; open it in Excel, remove the password and save it again",
                      "{file} 受密码保护；请在 Excel 中打开，取消密码后重新保存"),
    "read.bad_workbook": ("{file} is not a readable workbook ({reason})", "{file} 不是可读取的工作簿（{reason}）"),
    "read.not_spreadsheet": ("{file} is named like a workbook but is not one (its content is not a spreadsheet)",
                             "{file} 的扩展名像工作簿，但内容不是电子表格"),
    "read.truncated": ("{file} looks like a workbook but is damaged or incomplete (was the download cut off?)",
                       "{file} 看起来是工作簿，但已损坏或不完整（下载是否中断？）"),
    "read.not_workbook": ("{file} is a zip archive, not a workbook", "{file} 是压缩包，不是工作簿"),
    "read.bad_sheet": ("sheet '{sheet}' cannot be read ({reason})", "无法读取工作表“{sheet}”（{reason}）"),
    "read.no_sheet": ("{file} has no sheet '{sheet}' (sheets: {sheets})", "{file} 中没有工作表“{sheet}”（现有：{sheets}）"),
    "read.empty_sheet": ("sheet '{sheet}' of {file} holds no table", "{file} 的工作表“{sheet}”中没有表格"),
    "read.no_table": ("{file} holds no table: every sheet is empty", "{file} 中没有表格：所有工作表都是空的"),
    "read.bad_text": ("{file} cannot be read as a table ({reason})", "{file} 无法作为表格读取（{reason}）"),
    "read.zip_bomb": ("{file} would unpack to {size_mb:,} MB, far more than a workbook's data (limit {limit_mb:,} MB); "
                      "it may be damaged or made to harm: open it in your spreadsheet program and save a copy",
                      "{file} 解压后达 {size_mb:,} MB，远超工作簿数据应有的大小（上限 {limit_mb:,} MB）；文件可能已损坏或被恶意构造："
                      "请用表格软件打开后另存一份"),
    "read.zip_ratio": ("{file} holds a part that unpacks {ratio:,} times over, to {size_mb:,} MB (a workbook's data "
                       "unpacks 5 to 15 times); it may be damaged or made to harm: open it in your spreadsheet "
                       "program and save a copy",
                       "{file} 中有一部分解压后膨胀 {ratio:,} 倍，达 {size_mb:,} MB（工作簿数据通常只膨胀 5 到 15 倍）；"
                       "文件可能已损坏或被恶意构造：请用表格软件打开后另存一份"),
    "read.far_cell": ("{file} has something in cell {cell}, far from the rest of the table; reading everything up to "
                      "it would need more memory than a laptop has. Clear that cell (Ctrl+End in the spreadsheet "
                      "goes to it), or copy the table to a new sheet, and save again",
                      "{file} 的单元格 {cell} 中有内容，远离表格的其余部分；读取到它为止的全部区域所需的内存超过笔记本电脑的容量。"
                      "请清除该单元格（在表格软件中按 Ctrl+End 可跳到它），或把表格复制到新工作表，然后重新保存"),
    "read.too_many_cells": ("{file} unfolds to {rows:,} rows by {columns:,} columns ({cells:,} cells; up to {limit:,} "
                            "are read): it repeats rows or cells far more than a shop's table does. Open it in your "
                            "spreadsheet program, delete the rows and columns beyond your table, and save again",
                            "{file} 展开后有 {rows:,} 行 × {columns:,} 列（{cells:,} 个单元格，最多读取 {limit:,} 个）："
                            "重复的行或单元格远多于店铺表格应有的数量。请用表格软件打开，删除表格以外的行和列后重新保存"),
    "read.needs_memory": ("{file} is {size_mb:,} MB; reading it needs about {need_mb:,} MB of memory and this computer "
                          "has {free_mb:,} MB free. Close other programs, or export a shorter period from your "
                          "shop's back end",
                          "{file} 大小为 {size_mb:,} MB，读取约需 {need_mb:,} MB 内存，而这台电脑目前只有 {free_mb:,} MB "
                          "可用。请关闭其他程序，或从店铺后台导出较短时间段的数据"),
    "read.too_large": ("{file} is too large to open ({size_mb} MB); split it or filter it in your shop's back end first",
                       "{file} 太大，无法打开（{size_mb} MB）；请先拆分或在后台筛选后再导出"),
    # warnings
    "read.warn.sheet_chosen": ("read the sheet “{sheet}”, the first that holds a table; other sheets: {others} "
                               "(pick another with the sheet picker or --sheet)",
                               "已读取工作表“{sheet}”（第一个包含表格的工作表）；其他工作表：{others}（可用工作表选择器或 --sheet 另选）"),
    "read.warn.extension": ("{file} is named like another format but holds {actual}; read as {actual}",
                            "{file} 的扩展名与内容不符，实际是 {actual}，已按 {actual} 读取"),
    "read.warn.empty_columns": ("{n} empty column(s) left out: {names}", "已忽略 {n} 个空列：{names}"),
    "read.warn.empty_rows": ("{n} empty row(s) left out", "已忽略 {n} 个空行"),
    "read.warn.totals": ("{n} totals row(s) at the bottom left out ({label})", "已忽略底部 {n} 个合计行（{label}）"),
    "read.warn.bad_lines": ("{n} malformed line(s) with the wrong number of fields were skipped",
                            "已跳过 {n} 个字段数不正确的行"),
    "read.warn.date_order": ("dates in “{column}” read as {order} (a part above 12 settles it)",
                             "“{column}”列的日期按{order}读取（有大于 12 的部分，可以确定）"),
    "read.warn.date_time_joined": ("the times in “{time}” were joined to the dates in “{date}”",
                                   "已将“{time}”列的时间并入“{date}”列的日期"),
    "read.warn.header_mismatch": ("the header line has {header} name(s) but the rows have {fields} field(s); "
                                  "the columns were read as {names} — check that each name sits over its values, "
                                  "or save the file as CSV",
                                  "表头有 {header} 个列名，而数据行有 {fields} 个字段；已按以下列名读取：{names}。"
                                  "请核对各列名与数据是否对应，或将文件另存为 CSV"),
    "read.warn.replaced": ("{n} character(s) could not be decoded as {encoding} and were replaced; choose another encoding if text looks wrong",
                           "有 {n} 个字符无法按 {encoding} 解码，已被替换；如文字显示异常，请选择其他编码"),
    "read.warn.unparsed": ("{n} cell(s) in '{column}' could not be read as {what} and are left empty",
                           "“{column}”列中有 {n} 个单元格无法识别为{what}，已留空"),
    "read.warn.ambiguous_dates": ("dates in '{column}' fit both day/month and month/day order; read as {order} — choose the other order if this is wrong",
                                  "“{column}”列的日期既可按日/月也可按月/日理解，已按{order}读取；如有误请更改"),
    "read.warn.infinite": ("{n} cell(s) in '{column}' are too large to be a number (such as 1e999 or inf) and are left empty",
                           "“{column}”列中有 {n} 个单元格数值过大（如 1e999 或 inf），已留空"),
    "read.warn.offsets": ("time-zone offsets in '{column}' were ignored; local times are kept",
                          "“{column}”列中的时区偏移已忽略，保留当地时间"),
    "what.number": ("numbers", "数字"),
    "what.date": ("dates", "日期"),
    "order.dayfirst": ("day/month", "日/月"),
    "order.monthfirst": ("month/day", "月/日"),
    # progress
    "progress.reading": ("Reading {file}…", "正在读取 {file}…"),
    "progress.typing": ("Recognising columns…", "正在识别列…"),
})
