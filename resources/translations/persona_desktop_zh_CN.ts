<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>DataPanel</name>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="236"/>
        <source>{0} (detected)</source>
        <translation>{0}（自动识别）</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="259"/>
        <source>median / most frequent</source>
        <translation>中位数 / 众数</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="259"/>
        <source>most frequent</source>
        <translation>众数</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="260"/>
        <source>a constant (0)</source>
        <translation>常数（0）</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="260"/>
        <source>fill and flag</source>
        <translation>填补并标记</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="261"/>
        <source>set the rows aside</source>
        <translation>将这些行单独存放</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="261"/>
        <source>leave them</source>
        <translation>保持原样</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="262"/>
        <source>interquartile range</source>
        <translation>四分位距</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="262"/>
        <source>isolation forest</source>
        <translation>孤立森林</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="263"/>
        <source>do not look</source>
        <translation>不检测</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="287"/>
        <source>sheet “{0}”</source>
        <translation>工作表“{0}”</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="288"/>
        <source>{0} rows</source>
        <translation>{0} 行</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="291"/>
        <source>{0} customers</source>
        <translation>{0} 位客户</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="293"/>
        <source>Rows as read ({0})</source>
        <translation>原始数据（{0}）</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="295"/>
        <source>Customers ({0})</source>
        <translation>客户（{0}）</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="336"/>
        <source>“{0}” is…</source>
        <translation>“{0}”表示…</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="376"/>
        <source>Sheet:</source>
        <translation>工作表：</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="377"/>
        <source>Encoding:</source>
        <translation>编码：</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="378"/>
        <source>If Chinese or accented text looks garbled, choose another encoding</source>
        <translation>如果中文或带重音的文字显示为乱码，请换一种编码</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="379"/>
        <source>Filter rows…</source>
        <translation>筛选行…</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="380"/>
        <source>&lt;b&gt;Cleaning&lt;/b&gt; — untick a step to undo it; the numbers are rows</source>
        <translation>&lt;b&gt;数据清洗&lt;/b&gt; — 取消勾选可撤销该步骤；数字为行数</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="381"/>
        <source>Right-click a column to say what it means</source>
        <translation>右键单击某一列，指定它的含义</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="382"/>
        <source>Missing values:</source>
        <translation>缺失值：</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="383"/>
        <source>Outliers:</source>
        <translation>离群值：</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="384"/>
        <source>&lt;b&gt;Notes&lt;/b&gt;</source>
        <translation>&lt;b&gt;提示&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="385"/>
        <source>Rows as read</source>
        <translation>原始数据</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/data_panel.py" line="386"/>
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
    <name>ExportPanel</name>
    <message>
        <location filename="../../persona_desktop/gui/export_panel.py" line="144"/>
        <source>Export into folder</source>
        <translation>导出到文件夹</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/export_panel.py" line="163"/>
        <source>{0} files written into {1}</source>
        <translation>已将 {0} 个文件写入 {1}</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/export_panel.py" line="169"/>
        <source>Open a file first.</source>
        <translation>请先打开一个文件。</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/export_panel.py" line="173"/>
        <source>No segments yet: the workbook will hold the customers without segments.</source>
        <translation>尚未分组：工作簿中的客户将不含分组。</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/export_panel.py" line="175"/>
        <source>No rules yet.</source>
        <translation>尚无关联规则。</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/export_panel.py" line="177"/>
        <source>No prediction yet.</source>
        <translation>尚无预测结果。</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/export_panel.py" line="178"/>
        <source>Everything is ready to export.</source>
        <translation>一切就绪，可以导出。</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/export_panel.py" line="181"/>
        <source>Where</source>
        <translation>保存位置</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/export_panel.py" line="182"/>
        <source>What</source>
        <translation>导出内容</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/export_panel.py" line="183"/>
        <source>Written</source>
        <translation>已写入</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/export_panel.py" line="184"/>
        <source>Folder:</source>
        <translation>文件夹：</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/export_panel.py" line="185"/>
        <source>File names start with:</source>
        <translation>文件名前缀：</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/export_panel.py" line="186"/>
        <source>Language of the files:</source>
        <translation>文件语言：</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/export_panel.py" line="187"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/export_panel.py" line="188"/>
        <source>Excel workbook: summary, personas, customers with their segment, one sheet per segment, rules, model</source>
        <translation>Excel 工作簿：概要、客户画像、客户及其分组、每个分组一张工作表、关联规则、模型</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/export_panel.py" line="190"/>
        <source>Customer list as CSV (for mailing tools)</source>
        <translation>CSV 格式的客户名单（用于邮件群发工具）</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/export_panel.py" line="191"/>
        <source>Every chart as</source>
        <translation>所有图表，格式为</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/export_panel.py" line="192"/>
        <source>Persona report (PDF)</source>
        <translation>客户画像报告（PDF）</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/export_panel.py" line="193"/>
        <source>Names, phones, e-mails:</source>
        <translation>姓名、电话、邮箱：</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/export_panel.py" line="194"/>
        <source>as they are</source>
        <translation>保持原样</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/export_panel.py" line="195"/>
        <source>masked (张**, J*** S****, ****1234)</source>
        <translation>打码显示（张**、J*** S****、****1234）</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/export_panel.py" line="196"/>
        <source>replaced by codes (the same code for the same customer)</source>
        <translation>替换为代码（同一客户代码相同）</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/export_panel.py" line="197"/>
        <source>For files you send to others: the customers&apos; names, phone numbers and e-mail addresses are hidden in the workbook and the CSV</source>
        <translation>用于发给他人的文件：工作簿和 CSV 中将隐藏客户的姓名、电话号码和电子邮箱</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/export_panel.py" line="199"/>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/export_panel.py" line="200"/>
        <source>Write the chosen files (Ctrl+E)</source>
        <translation>写出所选文件（Ctrl+E）</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/export_panel.py" line="201"/>
        <source>Open the folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/export_panel.py" line="203"/>
        <source>Files written by the last export</source>
        <translation>上次导出写入的文件</translation>
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
        <location filename="../../persona_desktop/gui/status.py" line="41"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/status.py" line="42"/>
        <source>Stop this step (Esc)</source>
        <translation>停止这一步（Esc）</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="189"/>
        <source>Tables</source>
        <translation>表格</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="189"/>
        <source>All files</source>
        <translation>所有文件</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="191"/>
        <source>Open a customer or order file</source>
        <translation>打开客户或订单文件</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="156"/>
        <source>Open a file first</source>
        <translation>请先打开一个文件</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="218"/>
        <source>Open a project</source>
        <translation>打开项目</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="219"/>
        <location filename="../../persona_desktop/gui/main_window.py" line="238"/>
        <source>Persona Desktop projects</source>
        <translation>Persona Desktop 项目</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="237"/>
        <location filename="../../persona_desktop/gui/main_window.py" line="247"/>
        <source>Save the project</source>
        <translation>保存项目</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="250"/>
        <source>Project saved: {0}</source>
        <translation>项目已保存：{0}</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="273"/>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="290"/>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="296"/>
        <source>Exported {0} files</source>
        <translation>已导出 {0} 个文件</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="334"/>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="334"/>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="334"/>
        <source>Segments</source>
        <translation>分组</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="335"/>
        <source>Personas</source>
        <translation>客户画像</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="335"/>
        <source>Rules</source>
        <translation>关联规则</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="335"/>
        <source>Value</source>
        <translation>客户价值</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="336"/>
        <source>Predict</source>
        <translation>预测</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="336"/>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="337"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="338"/>
        <source>Open &amp;recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="339"/>
        <source>&amp;Analysis</source>
        <translation>分析(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="340"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="341"/>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="342"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="343"/>
        <source>&amp;Open…</source>
        <translation>打开(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="344"/>
        <source>Open an Excel or CSV file (Ctrl+O)</source>
        <translation>打开 Excel 或 CSV 文件（Ctrl+O）</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="345"/>
        <source>Sample shop</source>
        <translation>示例店铺</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="346"/>
        <source>Open the bundled sample: order lines of a UK gift shop</source>
        <translation>打开自带示例：一家英国礼品店的订单明细</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="347"/>
        <source>Open &amp;project…</source>
        <translation>打开项目(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="348"/>
        <source>&amp;Save project</source>
        <translation>保存项目(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="349"/>
        <source>Save your settings, segment names and notes as a project (Ctrl+S)</source>
        <translation>将您的设置、分组名称和备注保存为项目（Ctrl+S）</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="350"/>
        <source>Save project &amp;as…</source>
        <translation>项目另存为(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="351"/>
        <source>&amp;Export</source>
        <translation>导出(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="352"/>
        <source>Write the workbook, CSV, charts and report (Ctrl+E)</source>
        <translation>写出工作簿、CSV、图表和报告（Ctrl+E）</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="353"/>
        <source>&amp;Run this step</source>
        <translation>运行此步骤(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="354"/>
        <source>Run the step on screen (F5)</source>
        <translation>运行当前显示的步骤（F5）</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="355"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="356"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="357"/>
        <source>Stop the running step (Esc)</source>
        <translation>停止正在进行的步骤（Esc）</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="358"/>
        <source>&amp;About Persona Desktop</source>
        <translation>关于 Persona Desktop(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/main_window.py" line="359"/>
        <source>Main toolbar</source>
        <translation>主工具栏</translation>
    </message>
</context>
<context>
    <name>PersonaCard</name>
    <message>
        <location filename="../../persona_desktop/gui/personas_panel.py" line="98"/>
        <source>Click to rename this segment; leave it empty for the suggested name</source>
        <translation>点击可重命名此分组；留空则使用建议名称</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/personas_panel.py" line="100"/>
        <source>{0} customers · {1} of customers</source>
        <translation>{0} 位客户 · 占客户的 {1}</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/personas_panel.py" line="102"/>
        <source>{0} of revenue</source>
        <translation>占营业额的 {0}</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/personas_panel.py" line="113"/>
        <source>Churn risk: {0}</source>
        <translation>流失风险：{0}</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/personas_panel.py" line="117"/>
        <source>What sets them apart</source>
        <translation>与众不同之处</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/personas_panel.py" line="117"/>
        <source>What to do</source>
        <translation>建议行动</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/personas_panel.py" line="117"/>
        <source>They buy more than others</source>
        <translation>比别人买得多</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/personas_panel.py" line="129"/>
        <source>Your notes about this segment…</source>
        <translation>您对此分组的备注…</translation>
    </message>
</context>
<context>
    <name>PersonasPanel</name>
    <message>
        <location filename="../../persona_desktop/gui/personas_panel.py" line="218"/>
        <source>One card per segment. Click a name to rename it; your names and notes go into the workbook, the report and the project file.</source>
        <translation>每个分组一张卡片。点击名称可重命名；您的名称和备注会写入工作簿、报告和项目文件。</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/personas_panel.py" line="220"/>
        <source>No segments yet: go to &lt;b&gt;Segments&lt;/b&gt; and press &lt;b&gt;Find segments&lt;/b&gt;.</source>
        <translation>尚未分组：请前往&lt;b&gt;分组&lt;/b&gt;，然后点击&lt;b&gt;查找分组&lt;/b&gt;。</translation>
    </message>
</context>
<context>
    <name>PredictPanel</name>
    <message>
        <location filename="../../persona_desktop/gui/predict_panel.py" line="109"/>
        <source>Apply the model to a file</source>
        <translation>将模型应用于文件</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/predict_panel.py" line="110"/>
        <source>Tables</source>
        <translation>表格</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/predict_panel.py" line="140"/>
        <source>&lt;b&gt;{0}&lt;/b&gt; customers of the new file scored.</source>
        <translation>已为新文件中的 &lt;b&gt;{0}&lt;/b&gt; 位客户打分。</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/predict_panel.py" line="156"/>
        <source>Churn: who will not buy again</source>
        <translation>流失：哪些客户不会再购买</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/predict_panel.py" line="158"/>
        <source>Segment of a new customer</source>
        <translation>新客户所属分组</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/predict_panel.py" line="160"/>
        <source>Column “{0}”</source>
        <translation>列“{0}”</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/predict_panel.py" line="172"/>
        <source>Choose what to predict and press &lt;b&gt;Train and compare&lt;/b&gt; (F5).</source>
        <translation>选择要预测的内容，然后点击&lt;b&gt;训练并比较&lt;/b&gt;（F5）。</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/predict_panel.py" line="177"/>
        <source>Predicting &lt;b&gt;{0}&lt;/b&gt; for {1} customers</source>
        <translation>为 {1} 位客户预测&lt;b&gt;{0}&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/predict_panel.py" line="179"/>
        <source>Best model: &lt;b&gt;{0}&lt;/b&gt;</source>
        <translation>最佳模型：&lt;b&gt;{0}&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/predict_panel.py" line="180"/>
        <source>Accuracy {0:.1%} against {1:.1%} for always guessing “{2}”</source>
        <translation>准确率 {0:.1%}，而总是猜“{2}”的准确率为 {1:.1%}</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/predict_panel.py" line="183"/>
        <source>ROC AUC {0:.3f} (0.5 is guessing, 1 is perfect)</source>
        <translation>ROC AUC {0:.3f}（0.5 相当于瞎猜，1 为完美）</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/predict_panel.py" line="192"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/predict_panel.py" line="192"/>
        <source>Baseline</source>
        <translation>基线</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/predict_panel.py" line="193"/>
        <location filename="../../persona_desktop/gui/predict_panel.py" line="198"/>
        <source>Accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/predict_panel.py" line="196"/>
        <location filename="../../persona_desktop/gui/predict_panel.py" line="199"/>
        <source>Seconds</source>
        <translation>秒</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/predict_panel.py" line="207"/>
        <source>What to predict</source>
        <translation>预测内容</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/predict_panel.py" line="208"/>
        <source>Target:</source>
        <translation>预测目标：</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/predict_panel.py" line="209"/>
        <source>Within (days):</source>
        <translation>期限（天）：</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/predict_panel.py" line="210"/>
        <source>A customer has churned if they buy nothing in this many days</source>
        <translation>客户在这么多天内没有任何购买即视为流失</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/predict_panel.py" line="211"/>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/predict_panel.py" line="214"/>
        <source>Compare all and pick the best</source>
        <translation>全部比较并选出最佳</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/predict_panel.py" line="220"/>
        <source>Train and compare</source>
        <translation>训练并比较</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/predict_panel.py" line="221"/>
        <source>Train the models and compare them with the baseline (F5)</source>
        <translation>训练模型并与基线比较（F5）</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/predict_panel.py" line="222"/>
        <source>Apply to a new file…</source>
        <translation>应用于新文件…</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/predict_panel.py" line="223"/>
        <source>Charts</source>
        <translation>图表</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/predict_panel.py" line="224"/>
        <source>Customers</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/predict_panel.py" line="231"/>
        <source>Open a file first.</source>
        <translation>请先打开一个文件。</translation>
    </message>
</context>
<context>
    <name>RulesPanel</name>
    <message>
        <location filename="../../persona_desktop/gui/rules_panel.py" line="132"/>
        <source>All customers</source>
        <translation>全部客户</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/rules_panel.py" line="134"/>
        <source>Press &lt;b&gt;Find rules&lt;/b&gt; (F5). Lower the support to find rarer combinations; it takes longer.</source>
        <translation>点击&lt;b&gt;查找关联规则&lt;/b&gt;（F5）。降低支持度可找到更少见的组合，但耗时更长。</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/rules_panel.py" line="141"/>
        <source>&lt;b&gt;{0}&lt;/b&gt; rules from {1} baskets and {2} products.</source>
        <translation>从 {1} 个购物篮和 {2} 种商品中找到 &lt;b&gt;{0}&lt;/b&gt; 条关联规则。</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/rules_panel.py" line="144"/>
        <source>{0} customers have product suggestions.</source>
        <translation>{0} 位客户有商品推荐。</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/rules_panel.py" line="180"/>
        <source>If they buy</source>
        <translation>如果购买</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/rules_panel.py" line="180"/>
        <source>They also buy</source>
        <translation>也会购买</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/rules_panel.py" line="181"/>
        <source>Support</source>
        <translation>支持度</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/rules_panel.py" line="181"/>
        <source>Confidence</source>
        <translation>置信度</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/rules_panel.py" line="181"/>
        <source>Lift</source>
        <translation>提升度</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/rules_panel.py" line="182"/>
        <source>Leverage</source>
        <translation>杠杆值</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/rules_panel.py" line="182"/>
        <source>Conviction</source>
        <translation>确信度</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/rules_panel.py" line="183"/>
        <source>Zhang&apos;s metric</source>
        <translation>Zhang 指标</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/rules_panel.py" line="183"/>
        <source>Confidence, all customers</source>
        <translation>置信度（全部客户）</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/rules_panel.py" line="184"/>
        <source>Lift against all customers</source>
        <translation>相对全部客户的提升度</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/rules_panel.py" line="184"/>
        <source>How special</source>
        <translation>特别程度</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/rules_panel.py" line="188"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/rules_panel.py" line="189"/>
        <source>Minimum support:</source>
        <translation>最小支持度：</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/rules_panel.py" line="190"/>
        <source>A combination must be in at least this share of baskets</source>
        <translation>组合出现在购物篮中的比例至少要达到此值</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/rules_panel.py" line="191"/>
        <source>Minimum confidence:</source>
        <translation>最小置信度：</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/rules_panel.py" line="192"/>
        <source>How often the second part follows the first</source>
        <translation>买了前者的顾客同时买后者的频率</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/rules_panel.py" line="193"/>
        <source>Find rules</source>
        <translation>查找关联规则</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/rules_panel.py" line="194"/>
        <source>Find products bought together (F5)</source>
        <translation>查找经常一起购买的商品（F5）</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/rules_panel.py" line="195"/>
        <source>Show:</source>
        <translation>显示：</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/rules_panel.py" line="196"/>
        <source>Filter rules (a product)…</source>
        <translation>筛选关联规则（输入商品）…</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/rules_panel.py" line="197"/>
        <source>Rules</source>
        <translation>关联规则</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/rules_panel.py" line="198"/>
        <source>Recommendations</source>
        <translation>推荐</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/rules_panel.py" line="199"/>
        <source>Charts</source>
        <translation>图表</translation>
    </message>
</context>
<context>
    <name>SegmentsPanel</name>
    <message>
        <location filename="../../persona_desktop/gui/segments_panel.py" line="135"/>
        <source>Press &lt;b&gt;Find segments&lt;/b&gt; (F5): the defaults work for most files.</source>
        <translation>点击&lt;b&gt;查找分组&lt;/b&gt;（F5）：默认设置适用于大多数文件。</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/segments_panel.py" line="139"/>
        <source>&lt;b&gt;{0}&lt;/b&gt; segments of {1} customers, method: {2}</source>
        <translation>{1} 位客户分为 &lt;b&gt;{0}&lt;/b&gt; 组，方法：{2}</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/segments_panel.py" line="142"/>
        <source>Separation (silhouette, −1…1): &lt;b&gt;{0:.2f}&lt;/b&gt; — {1}</source>
        <translation>区分度（轮廓系数，−1…1）：&lt;b&gt;{0:.2f}&lt;/b&gt; — {1}</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/segments_panel.py" line="145"/>
        <source>Davies–Bouldin (lower is better): {0:.2f}</source>
        <translation>Davies–Bouldin 指数（越低越好）：{0:.2f}</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/segments_panel.py" line="147"/>
        <source>Calinski–Harabasz (higher is better): {0:,.0f}</source>
        <translation>Calinski–Harabasz 指数（越高越好）：{0:,.0f}</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/segments_panel.py" line="149"/>
        <source>Stability on resamples (0…1): &lt;b&gt;{0:.2f}&lt;/b&gt; — {1}</source>
        <translation>重抽样稳定性（0…1）：&lt;b&gt;{0:.2f}&lt;/b&gt; — {1}</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/segments_panel.py" line="160"/>
        <source>clear</source>
        <translation>清晰</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/segments_panel.py" line="162"/>
        <source>fair</source>
        <translation>一般</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/segments_panel.py" line="163"/>
        <source>weak</source>
        <translation>较弱</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/segments_panel.py" line="167"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/segments_panel.py" line="168"/>
        <source>Quality</source>
        <translation>质量</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/segments_panel.py" line="169"/>
        <source>Method:</source>
        <translation>方法：</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/segments_panel.py" line="170"/>
        <source>Segments:</source>
        <translation>分组数：</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/segments_panel.py" line="171"/>
        <source>Features (untick to leave out):</source>
        <translation>特征（取消勾选即不使用）：</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/segments_panel.py" line="172"/>
        <source>automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/segments_panel.py" line="173"/>
        <source>How many segments; automatic picks the number that separates best</source>
        <translation>分组数量；“自动”会选出区分效果最好的数量</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/segments_panel.py" line="174"/>
        <source>Find segments</source>
        <translation>查找分组</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/segments_panel.py" line="175"/>
        <source>Group the customers with these settings (F5)</source>
        <translation>按这些设置对客户分组（F5）</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/segments_panel.py" line="181"/>
        <source>Automatic: RFM-style clusters for order files, k-means for customer lists</source>
        <translation>自动：订单文件使用 RFM 式聚类，客户名单使用 k-means</translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <location filename="../../persona_desktop/gui/session.py" line="160"/>
        <source>Opening {0}</source>
        <translation>正在打开 {0}</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/session.py" line="165"/>
        <source>Cleaning</source>
        <translation>正在清洗数据</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/session.py" line="169"/>
        <source>Finding segments</source>
        <translation>正在查找分组</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/session.py" line="173"/>
        <source>Finding rules</source>
        <translation>正在查找关联规则</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/session.py" line="177"/>
        <source>Predicting customer value</source>
        <translation>正在预测客户价值</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/session.py" line="181"/>
        <source>Training models</source>
        <translation>正在训练模型</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/session.py" line="185"/>
        <source>Applying the model to {0}</source>
        <translation>正在将模型应用于 {0}</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/session.py" line="191"/>
        <source>Exporting</source>
        <translation>正在导出</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/session.py" line="195"/>
        <source>Opening project {0}</source>
        <translation>正在打开项目 {0}</translation>
    </message>
</context>
<context>
    <name>ValuePanel</name>
    <message>
        <location filename="../../persona_desktop/gui/value_panel.py" line="126"/>
        <source>Press &lt;b&gt;Predict value&lt;/b&gt; (F5): who is still a customer, how many orders each will place and what each is worth, from the order history.</source>
        <translation>按 &lt;b&gt;预测价值&lt;/b&gt;（F5）：根据订单历史，看谁仍是客户、每位客户会下多少单、值多少钱。</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/value_panel.py" line="137"/>
        <source>&lt;b&gt;{0}&lt;/b&gt; customers; &lt;b&gt;{1}&lt;/b&gt; orders expected in the next {2} days.</source>
        <translation>&lt;b&gt;{0}&lt;/b&gt; 位客户；未来 {2} 天预计 &lt;b&gt;{1}&lt;/b&gt; 单。</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/value_panel.py" line="140"/>
        <source>Predicted value over the next {0} months: &lt;b&gt;{1}&lt;/b&gt;.</source>
        <translation>未来 {0} 个月的预测价值：&lt;b&gt;{1}&lt;/b&gt;。</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/value_panel.py" line="142"/>
        <source>Valuable customers at risk: &lt;b&gt;{0}&lt;/b&gt;.</source>
        <translation>高价值但有流失风险的客户：&lt;b&gt;{0}&lt;/b&gt; 位。</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/value_panel.py" line="145"/>
        <source>Checked on the last third of the history: {0} purchase days predicted, {1} made.</source>
        <translation>用最后三分之一的历史检验：预测购买 {0} 天次，实际 {1} 天次。</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/value_panel.py" line="157"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/value_panel.py" line="158"/>
        <source>Orders over the next (days):</source>
        <translation>预计订单的天数：</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/value_panel.py" line="159"/>
        <source>How far ahead the expected orders look</source>
        <translation>预计订单向前看多少天</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/value_panel.py" line="160"/>
        <source>Value over the next (months):</source>
        <translation>预测价值的月数：</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/value_panel.py" line="161"/>
        <source>Monthly discount rate:</source>
        <translation>月折现率：</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/value_panel.py" line="162"/>
        <source>Money later is worth less than money now: each month&apos;s value is divided by (1 + rate) once more</source>
        <translation>将来的钱不如现在的钱值钱：每往后一个月，价值再除以一次 (1 + 折现率)</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/value_panel.py" line="164"/>
        <source>Purchase model:</source>
        <translation>购买模型：</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/value_panel.py" line="167"/>
        <source>Best fit (auto)</source>
        <translation>最佳拟合（自动）</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/value_panel.py" line="172"/>
        <source>Predict value</source>
        <translation>预测价值</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/value_panel.py" line="173"/>
        <source>Fit the customer-value models to the order history (F5)</source>
        <translation>用订单历史拟合客户价值模型（F5）</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/value_panel.py" line="174"/>
        <source>Filter customers…</source>
        <translation>筛选客户…</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/value_panel.py" line="175"/>
        <source>Customers</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/value_panel.py" line="176"/>
        <source>Charts</source>
        <translation>图表</translation>
    </message>
</context>
<context>
    <name>WelcomePanel</name>
    <message>
        <location filename="../../persona_desktop/gui/welcome.py" line="97"/>
        <source>Know your customers</source>
        <translation>了解您的客户</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/welcome.py" line="98"/>
        <source>Open the customer or order file your shop exported (Excel or CSV). Persona Desktop finds its columns, cleans it and builds one row per customer.</source>
        <translation>打开店铺后台导出的客户或订单文件（Excel 或 CSV）。Persona Desktop 会识别各列含义、清洗数据，并为每位客户汇总成一行。</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/welcome.py" line="100"/>
        <source>Open a file…</source>
        <translation>打开文件…</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/welcome.py" line="101"/>
        <source>Try the sample shop</source>
        <translation>试用示例店铺</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/welcome.py" line="102"/>
        <source>or drag a file onto this window</source>
        <translation>或将文件拖到此窗口</translation>
    </message>
    <message>
        <location filename="../../persona_desktop/gui/welcome.py" line="103"/>
        <source>Recent files</source>
        <translation>最近打开的文件</translation>
    </message>
</context>
</TS>
