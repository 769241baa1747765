import DudaoCore
import DudaoFiles
import DudaoStore
import Foundation

/// 自评报告: a county's self-evaluation report for a programme and year, in the four parts such
/// reports have (SPEC §3.5): 基本情况, 自查情况和工作成效, 存在的问题, 整改措施和下一步打算. Built
/// from the registry, the returns, the programme's result, its scored sheets and the duty
/// indicators; the last part is the office's own text, kept with the evaluation.
public struct SelfEvaluationReport: Sendable {
    public struct Section: Sendable {
        public var title: String
        public var paragraphs: [String]
        public var tables: [Table]
    }

    public var title: String
    /// 发文字号 with the number left for the office to fill (〔2024〕 号).
    public var documentNumber: String
    public var issuer: String
    public var date: String
    public var sections: [Section]
    public var measures: String
    public var measuresVersion: Int

    /// The report as a Word document in the official layout (GB/T 9704-2012).
    public func docx() throws -> Data {
        var blocks: [DOCXWriter.Block] = [.title(title), .documentNumber(documentNumber)]
        for s in sections {
            blocks.append(.heading(s.title))
            blocks += s.paragraphs.map { .paragraph($0) }
            blocks += s.tables.map { .table($0) }
        }
        blocks.append(.signature("\(issuer)\n\(date)"))
        return try DOCXWriter.write(blocks, style: .official)
    }

    static let numerals = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]

    /// Builds the report (Chinese: the document offices file).
    static func build(
        evaluation e: CountyEvaluation, parts: [EvaluationPart], duty: DutyEvaluation?,
        schools: [School], returns: [StageReturn], measures: (text: String, version: Int)?, today: String
    ) -> SelfEvaluationReport {
        let county = e.region.name
        // 基本情况
        let rowsBySchool = Dictionary(grouping: returns.filter { $0.stage != nil }, by: \.schoolCode)
        let withReturns = schools.filter { rowsBySchool[$0.code] != nil }
        var typeRows: [[String]] = []
        var totalStudents = 0.0, totalTeachers = 0.0
        for type in SchoolType.allCases {
            let ofType = withReturns.filter { $0.type == type }
            guard !ofType.isEmpty else { continue }
            let rows = ofType.flatMap { rowsBySchool[$0.code] ?? [] }
            let students = rows.reduce(0) { $0 + $1.students }, teachers = rows.compactMap { $0[.teachers] }.reduce(0, +)
            totalStudents += students
            totalTeachers += teachers
            typeRows.append([type.label(.zh), String(ofType.count), NumberText.plain(students), NumberText.plain(teachers)])
        }
        typeRows.append(["合计", String(withReturns.count), NumberText.plain(totalStudents), NumberText.plain(totalTeachers)])
        let basic = Section(
            title: "一、基本情况",
            paragraphs: [
                "\(county)\(e.year)学年共有学校\(withReturns.count)所，在校生\(NumberText.plain(totalStudents))人，专任教师\(NumberText.plain(totalTeachers))人（据\(e.year)学年教育统计数据）。"
            ],
            tables: [Table(name: "学校情况", header: ["办学类型", "学校数", "在校生数", "专任教师数"], rows: typeRows)])

        // 自查情况和工作成效
        var done: [String] = []
        var tables: [Table] = []
        var n = 0
        func next() -> String {
            n += 1
            return "（\(numerals[min(n, 10) - 1])）"
        }
        for s in e.stages {
            let verdict = s.passed.map { $0 ? "达到要求" : "未达到要求" } ?? "无参评学校"
            done.append(
                "\(next())\(s.stage.label(.zh))资源配置：参评学校\(s.schools.count)所，达标\(s.schoolsPassed)所；差异系数\(verdict)（限值\(NumberText.fixed(s.cvLimit, 2))）。"
            )
            tables.append(
                Table(
                    name: "\(s.stage.label(.zh))资源配置指标", header: ["指标", "标准", "均值", "差异系数", "结论"],
                    rows: s.indicators.map { i in
                        [
                            i.definition.name(.zh), i.threshold.map(NumberText.plain) ?? "—",
                            i.dispersion.map { NumberText.fixed($0.mean, 2) } ?? "—",
                            i.dispersion.map { NumberText.fixed($0.cv, 3) } ?? "—", i.passed ? "达标" : "未达标",
                        ]
                    }))
        }
        if let duty {
            done.append("\(next())履行教育职责主要指标：")
            tables.append(
                Table(
                    name: "履职指标", header: ["指标", "数值", "目标", "结论"],
                    rows: duty.indicators.map { r in
                        let d = duty.programme.indicator(r.id)!
                        return [d.nameZh, r.value.map(d.published) ?? "—", DutyText.target(d), r.passed.map { $0 ? "达标" : "未达标" } ?? "无法计算"]
                    }))
        }
        for p in parts {
            let part = p.part
            if let s = p.survey {
                let rate =
                    s.rate.map { "满意度\(NumberText.percent($0))，\(s.passed == true ? "达到" : "未达到")\(NumberText.percent(s.threshold))的要求" }
                    ?? "有效答卷不足\(s.minimumRespondents)份，无法报告"
                done.append("\(next())\(part.name(.zh))：\(s.campaigns)次问卷调查，发放\(s.invited)份，回收\(s.responses)份，\(rate)。")
                continue
            }
            guard let result = p.sheet else {
                done.append("\(next())\(part.name(.zh))：尚未评价。")
                continue
            }
            let verdict = result.passed.map { $0 ? "达到要求" : "未达到要求" } ?? "尚未评完（已评\(result.answered)/\(result.items.count)项）"
            let total = result.sheet.scoring == .points ? "得分\(NumberText.fixed(result.total, 1))，" : "达标\(Int(result.total))项，"
            done.append("\(next())\(part.name(.zh))：\(total)\(verdict)。")
            for (item, r) in zip(result.sheet.items, result.items) where r.answered {
                var line = "\(item.textZh)：\(answer(item, r, result.sheet))"
                if let evidence = r.entry?.evidence, !evidence.isEmpty { line += "。佐证：\(evidence)" }
                if let details = r.computed?.details, !details.isEmpty { line += "。数据：\(details.joined(separator: "；"))" }
                done.append(line + "。")
            }
        }
        let work = Section(title: "二、自查情况和工作成效", paragraphs: done, tables: tables)

        // 存在的问题
        var problems: [String] = []
        for s in e.stages {
            for i in s.indicators where !i.passed {
                problems.append(
                    "\(s.stage.label(.zh))\(i.definition.name(.zh))差异系数\(i.dispersion.map { NumberText.fixed($0.cv, 3) } ?? "无法计算")，超过限值\(NumberText.fixed(i.cvLimit, 2))。"
                )
            }
            if !s.failingSchools.isEmpty {
                let named = s.failingSchools.prefix(5).map { c in
                    "\(c.school.name)（\(c.gaps.filter { !$0.withinTolerance }.map { $0.text(.zh) }.joined(separator: "；"))）"
                }
                problems.append(
                    "\(s.stage.label(.zh))有\(s.failingSchools.count)所学校资源配置未达标：\(named.joined(separator: "、"))\(s.failingSchools.count > 5 ? "等" : "")。"
                )
            }
        }
        if let duty {
            for r in duty.indicators where r.passed == false {
                if let text = DutyText.problem(r, duty.programme.indicator(r.id)!, .zh) { problems.append(text + "。") }
            }
            problems += duty.shortfalls.map { DutyText.shortfall($0, .zh) + "。" }
        }
        for p in parts {
            let part = p.part
            if let s = p.survey, s.passed == false, let rate = s.rate {
                problems.append("\(part.name(.zh))：满意度\(NumberText.percent(rate))，低于\(NumberText.percent(s.threshold))。")
            }
            guard let result = p.sheet else { continue }
            for (item, r) in zip(result.sheet.items, result.items) where r.met == false || r.vetoed {
                var line = "\(part.name(.zh))：\(item.textZh)——\(answer(item, r, result.sheet))"
                if let comment = r.entry?.comment, !comment.isEmpty { line += "（\(comment)）" }
                if let details = r.computed?.details, !details.isEmpty {
                    line += "（\(details.prefix(5).joined(separator: "；"))\(details.count > 5 ? "等\(details.count)项" : "")）"
                }
                problems.append(line + "。")
            }
        }
        if problems.isEmpty { problems = ["经自查，未发现未达标事项。"] }
        let issues = Section(title: "三、存在的问题", paragraphs: problems.enumerated().map { "\($0.offset + 1).\($0.element)" }, tables: [])

        let text = measures?.text ?? ""
        let next = Section(
            title: "四、整改措施和下一步打算",
            paragraphs: text.isEmpty
                ? ["（尚未填写）"] : text.split(separator: "\n").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
            tables: [])
        // The issuer's short name in the 发文字号 (禹州市 → 禹); the number is the office's to fill.
        let short = String(county.prefix(1))
        return SelfEvaluationReport(
            title:
                "\(county)\(e.year)年\(e.programme.name(.zh).replacingOccurrences(of: "督导评估", with: "").replacingOccurrences(of: #"（\d{4}）"#, with: "", options: .regularExpression))自评报告",
            documentNumber: "\(short)政教督〔\(e.year)〕  号", issuer: "\(county)人民政府教育督导室", date: DateText.chinese(today),
            sections: [basic, work, issues, next], measures: text, measuresVersion: measures?.version ?? 0)
    }

    /// An item's answer in words (report, CLI): 得分 8/10, 达标, 未发生, 发生一票否决事项.
    public static func answer(_ item: ScoreItem, _ r: ItemResult, _ sheet: ScoreSheet) -> String {
        if r.vetoed { return "发生一票否决事项" }
        if item.veto && item.max == nil { return r.met == true ? "未发生" : "未填报" }
        if sheet.scoring == .points, let p = r.points, let max = item.max { return "得分\(NumberText.plain(p))/\(NumberText.plain(max))" }
        return r.met.map { $0 ? "达标" : "未达标" } ?? "未评"
    }
}

extension Evaluations {
    /// The self-evaluation report of a county for a programme and year; nil without returns.
    public func report(county: String, year: Int, programme: String) async throws -> SelfEvaluationReport? {
        guard case .county(let e) = try await EvaluationService(services.reads).evaluate(region: county, year: year, programme: programme) else {
            return nil
        }
        let duty = try await DutyEvaluationService(services.reads).county(county, year: year)
        return SelfEvaluationReport.build(
            evaluation: e, parts: try await parts(of: e), duty: duty, schools: try await SchoolRepository(services.reads).list(under: county),
            returns: try await ReturnRepository(services.reads).rows(under: county, year: year),
            measures: try await ScoreRepository(services.reads).measures(region: county, year: year, programme: programme),
            today: services.clock.moment.today)
    }
}
