import DudaoCore
import Testing

@testable import DudaoFiles

/// Key-task breakdowns as offices write them: numbered or indented outlines, dates as written.
@Suite("Key-task outline files")
struct TaskOutlineParserTests {
    static let header = ["序号", "工作任务", "责任单位", "第一责任人", "直接责任人", "完成时限", "权重", "目标值", "基数", "计量单位", "自动计算指标", "报送频次"]

    @Test func dottedNumbers() throws {
        let table = Table(
            name: "tasks.xlsx", header: Self.header,
            rows: [
                ["1", "消除大班额", "禹州市教育局", "张局长", "李副局长", "2026-12-31", "2", "", "", "", "", ""],
                ["1.1", "新建学校3所", "禹州市教育局", "", "", "2026/8/31", "", "3", "", "所", "", "每周"],
                ["1.2", "56人以上大班额清零", "禹州市教育局", "", "", "2026年12月底", "", "0", "120", "", "大班额", ""],
                ["2", "控辍保学", "禹州市教育局", "", "", "46203", "1", "", "", "", "", ""],
            ])
        let r = TaskOutlineParser.parse(table)
        #expect(r.issues.isEmpty, "\(r.issues)")
        #expect(r.drafts.map(\.number) == ["1", "1.1", "1.2", "2"])
        #expect(r.drafts.map(\.deadline) == ["2026-12-31", "2026-08-31", "2026-12-31", "2026-06-30"])
        #expect(r.drafts[0].weight == 2 && r.drafts[1].weight == nil)
        #expect(r.drafts[1].measure == .number(target: 3, baseline: 0, unit: "所"))
        #expect(r.drafts[1].cadence == .weekly)
        #expect(r.drafts[2].measure == .computed(metric: .classes56Plus, target: 0, baseline: 120))
        #expect(r.drafts[3].measure == .checkbox)
        #expect(r.drafts[0].firstResponsible == "张局长" && r.drafts[0].directResponsible == "李副局长")
    }

    @Test func chineseOutlineNumbering() {
        let table = Table(
            name: "t.csv", header: ["序号", "工作任务", "责任单位", "完成时限"],
            rows: [
                ["一、", "学位建设", "市教育局", "2026-12-31"],
                ["（一）", "新建中小学", "禹州市教育局", "2026-09-01"],
                ["1.", "城区一小", "禹州市教育局", "2026-08-31"],
                ["2.", "城区二中", "禹州市教育局", "2026-08-31"],
                ["（二）", "改扩建", "长葛市教育局", "2026-10-31"],
                ["二、", "控辍保学", "市教育局", "2026-06-30"],
            ])
        let r = TaskOutlineParser.parse(table)
        #expect(r.issues.isEmpty, "\(r.issues)")
        #expect(r.drafts.map(\.number) == ["1", "1.1", "1.1.1", "1.1.2", "1.2", "2"])
    }

    @Test func numberingInTheTextAndIndentation() {
        let numbered = Table(
            name: "t.csv", header: ["工作任务", "责任单位", "完成时限"],
            rows: [["一、学位建设", "市教育局", "2026年12月31日"], ["（一）新建中小学", "禹州市教育局", "2026年9月"], ["二、控辍保学", "市教育局", "2026年底"]])
        let r1 = TaskOutlineParser.parse(numbered)
        #expect(r1.issues.isEmpty, "\(r1.issues)")
        #expect(r1.drafts.map(\.number) == ["1", "1.1", "2"])
        #expect(r1.drafts.map(\.title) == ["学位建设", "新建中小学", "控辍保学"])
        #expect(r1.drafts.map(\.deadline) == ["2026-12-31", "2026-09-30", "2026-12-31"])

        let indented = Table(
            name: "t.csv", header: ["工作任务", "责任单位", "完成时限"],
            rows: [
                ["学位建设", "市教育局", "2026-12-31"], ["\u{3000}新建中小学", "禹州市教育局", "2026-09-01"], ["\u{3000}\u{3000}城区一小", "禹州市教育局", "2026-08-31"],
                ["\u{3000}改扩建", "禹州市教育局", "2026-10-31"], ["控辍保学", "市教育局", "2026-06-30"],
            ])
        let r2 = TaskOutlineParser.parse(indented)
        #expect(r2.issues.isEmpty, "\(r2.issues)")
        #expect(r2.drafts.map(\.number) == ["1", "1.1", "1.1.1", "1.2", "2"])
        #expect(r2.drafts[2].title == "城区一小")
    }

    @Test func problemsAreNamedByRowAndColumn() {
        let table = Table(
            name: "tasks.xlsx", header: Self.header,
            rows: [
                ["1", "消除大班额", "禹州市教育局", "", "", "年底", "", "", "", "", "", ""],
                ["1.1", "新建学校", "禹州市教育局", "", "", "2026-08-31", "-1", "三所", "", "", "", "每季"],
                ["1.2", "清零", "禹州市教育局", "", "", "2026-12-31", "", "", "", "", "空气质量", ""],
            ])
        let r = TaskOutlineParser.parse(table)
        let places = r.issues.map { "\($0.row!) \($0.column!)" }
        #expect(places.contains("2 完成时限"))
        #expect(places.contains("3 权重"))
        #expect(places.contains("3 目标值"))
        #expect(places.contains("3 报送频次"))
        #expect(places.contains("4 自动计算指标"))
        #expect(TaskOutlineParser.parse(Table(name: "x.csv", header: ["序号", "工作任务"], rows: [])).issues.map(\.column) == ["责任单位", "完成时限"])
    }

    @Test func skippingALevelIsRefused() {
        let table = Table(
            name: "t.csv", header: ["序号", "工作任务", "责任单位", "完成时限"],
            rows: [["一、", "学位建设", "市教育局", "2026-12-31"], ["1.", "城区一小", "禹州市教育局", "2026-08-31"], ["（1）", "主体", "禹州市教育局", "2026-08-31"]])
        // 一 and 1. are levels 1 and 2 here (no （一） in the file); （1） is level 3: fine.
        #expect(TaskOutlineParser.parse(table).drafts.map(\.number) == ["1", "1.1", "1.1.1"])
        let bad = Table(
            name: "t.csv", header: ["序号", "工作任务", "责任单位", "完成时限"],
            rows: [
                ["一、", "学位建设", "市教育局", "2026-12-31"], ["（一）", "新建", "市教育局", "2026-12-31"], ["二、", "控辍", "市教育局", "2026-12-31"],
                ["1.", "城区一小", "禹州市教育局", "2026-08-31"],
            ])
        #expect(TaskOutlineParser.parse(bad).issues.first?.row == 5)
    }

    @Test func deadlinesAsWritten() {
        #expect(TaskOutlineParser.date("2026-06-30") == "2026-06-30")
        #expect(TaskOutlineParser.date("2026.6.30") == "2026-06-30")
        #expect(TaskOutlineParser.date("2026年6月30日前") == "2026-06-30")
        #expect(TaskOutlineParser.date("2026年2月底") == "2026-02-28")
        #expect(TaskOutlineParser.date("2028年2月") == "2028-02-29")
        #expect(TaskOutlineParser.date("2026年底") == "2026-12-31")
        #expect(TaskOutlineParser.date("45658") == "2025-01-01")
        #expect(TaskOutlineParser.date("6月30日") == nil)
        #expect(TaskOutlineParser.date("2026年2月30日") == nil)
        #expect(TaskOutlineParser.date("") == nil)
    }

    /// Excel's 增加缩进 is a cell style (alignment indent), not spaces: read with `indents`, a
    /// workbook whose task cells are indented 0, 1, 2, 1, 0 gives the outline 1, 1.1, 1.1.1, 1.2, 2.
    @Test func excelIndentationGivesTheLevels() throws {
        let ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let styles =
            #"<styleSheet xmlns="\#(ns)"><cellXfs count="3"><xf/><xf applyAlignment="1"><alignment indent="1"/></xf><xf applyAlignment="1"><alignment indent="2"/></xf></cellXfs></styleSheet>"#
        func row(_ r: Int, _ title: String, _ style: Int) -> String {
            #"<row r="\#(r)"><c r="A\#(r)" t="inlineStr" s="\#(style)"><is><t>\#(title)</t></is></c><c r="B\#(r)" t="inlineStr"><is><t>禹州市教育局</t></is></c><c r="C\#(r)" t="inlineStr"><is><t>2026-12-31</t></is></c></row>"#
        }
        let header =
            #"<row r="1"><c r="A1" t="inlineStr"><is><t>工作任务</t></is></c><c r="B1" t="inlineStr"><is><t>责任单位</t></is></c><c r="C1" t="inlineStr"><is><t>完成时限</t></is></c></row>"#
        let sheet =
            #"<worksheet xmlns="\#(ns)"><sheetData>"# + header + row(2, "学位建设", 0) + row(3, "新建中小学", 1) + row(4, "城区一小", 2)
            + row(5, "改扩建", 1) + row(6, "控辍保学", 0) + "</sheetData></worksheet>"
        let package = try OfficePackage(kind: "xlsx")
        try package.add("xl/worksheets/sheet1.xml", sheet)
        try package.add("xl/styles.xml", styles)
        let data = try package.data()
        let indented = try XLSXReader.read(data, name: "t.xlsx", indents: true)
        #expect(indented.rows[2][0] == "\u{3000}\u{3000}城区一小")
        let r = TaskOutlineParser.parse(indented)
        #expect(r.issues.isEmpty, "\(r.issues)")
        #expect(r.drafts.map(\.number) == ["1", "1.1", "1.1.1", "1.2", "2"])
        #expect(r.drafts[2].title == "城区一小")
        // Without `indents` the cells are read as they are (what returns imports need).
        #expect(try XLSXReader.read(data, name: "t.xlsx").rows[2][0] == "城区一小")
    }
}
