<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>DataPanel</name>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="225"/>
        <source>{0} (detected)</source>
        <translation>{0}（自动识别）</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="240"/>
        <source>median / most frequent</source>
        <translation>中位数 / 众数</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="240"/>
        <source>most frequent</source>
        <translation>众数</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="241"/>
        <source>a constant (0)</source>
        <translation>常数（0）</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="241"/>
        <source>fill and flag</source>
        <translation>填补并标记</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="242"/>
        <source>set the rows aside</source>
        <translation>将这些行单独存放</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="242"/>
        <source>leave them</source>
        <translation>保持原样</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="243"/>
        <source>interquartile range</source>
        <translation>四分位距</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="243"/>
        <source>isolation forest</source>
        <translation>孤立森林</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="244"/>
        <source>do not look</source>
        <translation>不检测</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="268"/>
        <source>sheet “{0}”</source>
        <translation>工作表“{0}”</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="269"/>
        <source>{0} rows</source>
        <translation>{0} 行</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="272"/>
        <source>{0} customers</source>
        <translation>{0} 位客户</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="274"/>
        <source>Rows as read ({0})</source>
        <translation>原始数据（{0}）</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="276"/>
        <source>Customers ({0})</source>
        <translation>客户（{0}）</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="318"/>
        <source>Sheet:</source>
        <translation>工作表：</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="319"/>
        <source>Encoding:</source>
        <translation>编码：</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="320"/>
        <source>If Chinese or accented text looks garbled, choose another encoding</source>
        <translation>如果中文或带重音的文字显示为乱码，请换一种编码</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="321"/>
        <source>Filter rows…</source>
        <translation>筛选行…</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="322"/>
        <source>&lt;b&gt;Cleaning&lt;/b&gt; — untick a step to undo it; the numbers are rows</source>
        <translation>&lt;b&gt;数据清洗&lt;/b&gt; — 取消勾选可撤销该步骤；数字为行数</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="323"/>
        <source>Missing values:</source>
        <translation>缺失值：</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="324"/>
        <source>Outliers:</source>
        <translation>离群值：</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="325"/>
        <source>&lt;b&gt;Notes&lt;/b&gt;</source>
        <translation>&lt;b&gt;提示&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="326"/>
        <source>Rows as read</source>
        <translation>原始数据</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="327"/>
        <source>Customers</source>
        <translation>客户</translation>
    </message>
</context>
<context>
    <name>Dialogs</name>
    <message>
        <location filename="../../persona_desktop/gui/dialogs.py" line="21"/>
        <source>Something went wrong inside Persona Desktop. Your file has not been changed, and you can carry on working.</source>
        <translation>Persona Desktop 内部出现了问题。您的文件没有被修改，可以继续使用。</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/dialogs.py" line="40"/>
        <source>&lt;h3&gt;{name} {version}&lt;/h3&gt;&lt;p&gt;Turns your shop&apos;s own customer and order files into customer groups, personas, product associations and predictions — offline, on your computer.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Sample data&lt;/b&gt;: a slice of the Online Retail data set by Daqing Chen, UCI Machine Learning Repository, doi:10.24432/C5BW33, licensed &lt;a href=&apos;https://creativecommons.org/licenses/by/4.0/&apos;&gt;CC BY 4.0&lt;/a&gt;.&lt;/p&gt;&lt;p&gt;Built with Qt for Python (PySide6, LGPLv3), pandas, scikit-learn, mlxtend, matplotlib and openpyxl.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;{name} {version}&lt;/h3&gt;&lt;p&gt;把您店铺自己的客户和订单文件变成客户分组、客户画像、商品关联和预测——离线运行，数据不出您的电脑。&lt;/p&gt;&lt;p&gt;&lt;b&gt;示例数据&lt;/b&gt;：取自 Daqing Chen 的 Online Retail 数据集（UCI 机器学习库，doi:10.24432/C5BW33），采用 &lt;a href=&apos;https://creativecommons.org/licenses/by/4.0/&apos;&gt;CC BY 4.0&lt;/a&gt; 许可。&lt;/p&gt;&lt;p&gt;基于 Qt for Python（PySide6，LGPLv3）、pandas、scikit-learn、mlxtend、matplotlib 和 openpyxl 构建。&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/dialogs.py" line="51"/>
        <source>About {name}</source>
        <translation>关于 {name}</translation>
    </message>
</context>
<context>
    <name>JobRunner</name>
    <message>
        <location filename="../../persona_desktop/gui/jobs.py" line="75"/>
        <source>There was not enough memory for this step. Close other programs, or work on a smaller part of the file, and try again.</source>
        <translation>内存不足，无法完成这一步。请关闭其他程序，或只处理文件的一部分，然后重试。</translation>
    </message>
</context>
<context>
    <name>JobStatusWidget</name>
    <message>
        <location filename="../../persona_desktop/gui/status.py" line="45"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/status.py" line="46"/>
        <source>Stop this step (Esc)</source>
        <translation>停止这一步（Esc）</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="164"/>
        <source>Tables</source>
        <translation>表格</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="164"/>
        <source>All files</source>
        <translation>所有文件</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="166"/>
        <source>Open a customer or order file</source>
        <translation>打开客户或订单文件</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="179"/>
        <source>Opening {0}</source>
        <translation>正在打开 {0}</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="192"/>
        <source>Cleaning</source>
        <translation>正在清洗</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="205"/>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="242"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="243"/>
        <source>Open &amp;recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="244"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="245"/>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="246"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="247"/>
        <source>&amp;Open…</source>
        <translation>打开(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="248"/>
        <source>Open an Excel or CSV file (Ctrl+O)</source>
        <translation>打开 Excel 或 CSV 文件（Ctrl+O）</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="249"/>
        <source>Sample shop</source>
        <translation>示例店铺</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="250"/>
        <source>Open the bundled sample: order lines of a UK gift shop</source>
        <translation>打开自带示例：一家英国礼品店的订单明细</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="251"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="252"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="253"/>
        <source>Stop the running step (Esc)</source>
        <translation>停止正在进行的步骤（Esc）</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="254"/>
        <source>&amp;About Persona Desktop</source>
        <translation>关于 Persona Desktop(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="255"/>
        <source>Main toolbar</source>
        <translation>主工具栏</translation>
    </message>
</context>
<context>
    <name>WelcomePanel</name>
    <message>
        <location filename="../../persona_desktop/gui/welcome.py" line="93"/>
        <source>Know your customers</source>
        <translation>了解您的客户</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/welcome.py" line="94"/>
        <source>Open the customer or order file your shop exported (Excel or CSV). Persona Desktop finds its columns, cleans it and builds one row per customer.</source>
        <translation>打开店铺后台导出的客户或订单文件（Excel 或 CSV）。Persona Desktop 会识别各列含义、清洗数据，并为每位客户汇总成一行。</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/welcome.py" line="96"/>
        <source>Open a file…</source>
        <translation>打开文件…</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/welcome.py" line="97"/>
        <source>Try the sample shop</source>
        <translation>试用示例店铺</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/welcome.py" line="98"/>
        <source>or drag a file onto this window</source>
        <translation>或将文件拖到此窗口</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/welcome.py" line="99"/>
        <source>Recent files</source>
        <translation>最近打开的文件</translation>
    </message>
</context>
</TS>
