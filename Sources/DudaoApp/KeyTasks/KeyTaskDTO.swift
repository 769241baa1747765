import DudaoCore
import DudaoFiles
import Foundation

/// A target's standing as the API answers it (`GET /api/v1/key-targets/{id}`); completions are
/// ratios 0…1 with their published text (two decimals).
public struct KeyTargetDTO: Encodable, Sendable {
    public struct Task: Encodable, Sendable {
        public var id: String
        public var number: String
        public var parent_id: String?
        public var depth: Int
        public var title: String
        public var unit: String
        public var region_code: String
        public var first_responsible: String
        public var direct_responsible: String
        public var deadline: String
        public var weight: Double?
        public var share: Double
        /// checkbox, number, computed; null on a task measured by its steps.
        public var measure: String?
        public var metric: String?
        public var target_value: Double?
        public var baseline: Double?
        public var measure_unit: String?
        public var value: Double?
        public var done: Bool?
        public var completion: Double
        public var completion_text: String
        public var completed_on: String?
        public var overdue: Bool
        public var days_late: Int?
        /// no_report or unchanged, with the day it is counted from.
        public var stalled: String?
        public var stalled_since: String?
        public var pending_reports: Int
        public var last_report: String?
    }

    public var id: String
    public var region_code: String
    public var year: Int
    public var title: String
    public var description: String
    public var as_of: String
    public var completion: Double
    public var completion_text: String
    public var tasks: [Task]

    public init(_ p: KeyTargetProgress) {
        id = p.target.id
        region_code = p.target.regionCode
        year = p.target.year
        title = p.target.title
        description = p.target.description
        as_of = p.asOf
        completion = p.completion
        completion_text = NumberText.percent(p.completion)
        tasks = p.rows.map { s in
            let t = s.task
            let m = s.isLeaf ? (t.measure ?? .checkbox) : nil
            let kind: String? =
                switch m {
                case nil: nil
                case .checkbox: "checkbox"
                case .number: "number"
                case .computed: "computed"
                }
            var metric: String?
            if case .computed(let x, _, _) = m { metric = x.rawValue }
            var stalled: String?, since: String?
            switch s.stall {
            case .noReport(let d): (stalled, since) = ("no_report", d)
            case .unchanged(let d): (stalled, since) = ("unchanged", d)
            case nil: break
            }
            return Task(
                id: t.id, number: t.number, parent_id: t.parentId, depth: s.depth, title: t.title, unit: t.unit, region_code: t.regionCode,
                first_responsible: t.firstResponsible, direct_responsible: t.directResponsible, deadline: t.deadline, weight: t.weight,
                share: s.share,
                measure: kind, metric: metric, target_value: m?.target, baseline: m.flatMap { $0 == .checkbox ? nil : $0.baseline },
                measure_unit: m.flatMap { $0.unit.isEmpty ? nil : $0.unit }, value: s.value, done: s.done, completion: s.completion,
                completion_text: NumberText.percent(s.completion), completed_on: s.completedOn, overdue: s.overdue, days_late: s.daysLate,
                stalled: stalled, stalled_since: since, pending_reports: s.pending, last_report: s.lastReport)
        }
    }
}

/// The dispatch view as published (`GET /api/v1/regions/{code}/dispatch`, page, XLSX, DOCX),
/// with the method written out so anyone can recompute the ranking.
public struct DispatchDTO: Encodable, Sendable {
    public struct Unit: Encodable, Sendable {
        public var rank: Int
        public var unit: String
        public var region_code: String
        public var tasks: Int
        public var completion: Double
        public var completion_text: String
        public var due: Int
        public var on_time: Int
        public var on_time_rate: Double?
        public var on_time_rate_text: String
        public var overdue: Int
        public var stalled: Int
        public var previous_rank: Int?
        public var rank_change: Int?
        /// Percentage points since the earlier day.
        public var completion_change: Double?
    }

    public struct Item: Encodable, Sendable {
        public var target: String
        public var task_id: String
        public var number: String
        public var title: String
        public var unit: String
        public var deadline: String
        public var completion_text: String
        public var completed_on: String?
        public var on_time: Bool
        public var days_late: Int?
    }

    public var region_code: String
    public var year: Int
    public var day: String
    public var since: String
    public var targets: [String]
    public var method: [String]
    public var ranking: [Unit]
    public var last: [String]
    public var due: [Item]
    public var late: [Item]
    public var stalled: [Item]

    public static let methodZh = [
        "排名对象为各任务的责任单位，计入其负责的末级任务（含各目标）。",
        "任务在目标中的占比 = 本任务权重 ÷ 同级任务权重之和 × 上级任务的占比；未填权重按 1 计，同级权重全为 0 时均分。",
        "单位完成进度 = Σ(占比 × 任务完成度) ÷ Σ占比；任务完成度：勾选类为 0 或 1，数值类为 (当前值 − 基数) ÷ (目标值 − 基数)，取 0 至 1；只计已采纳的报送。",
        "按期完成率 = 截至调度日已到期任务中在期限内完成的项数 ÷ 已到期任务项数。",
        "排序：先按完成进度，再按按期完成率（无到期任务者列后），两项均相同（精确到 0.01 个百分点）者并列。",
    ]

    public init(region: String, year: Int, targets: [KeyTarget], view: DispatchView) {
        region_code = region
        self.year = year
        day = view.day
        since = view.since
        self.targets = targets.map(\.title)
        method = Self.methodZh
        ranking = view.ranking.units.map { u in
            Unit(
                rank: u.rank, unit: u.unit, region_code: u.regionCode, tasks: u.tasks, completion: u.completion,
                completion_text: NumberText.percent(u.completion), due: u.due, on_time: u.onTime, on_time_rate: u.onTimeRate,
                on_time_rate_text: u.onTimeRate.map(NumberText.percent) ?? "—", overdue: u.overdue, stalled: u.stalled, previous_rank: u.previousRank,
                rank_change: u.rankChange, completion_change: u.completionChange.map { ($0 * 100).rounded() / 100 })
        }
        last = view.ranking.last.map(\.unit)
        func item(_ i: DispatchView.Item) -> Item {
            let s = i.standing
            return Item(
                target: i.targetTitle, task_id: s.task.id, number: s.task.number, title: s.task.title, unit: s.task.unit, deadline: s.task.deadline,
                completion_text: NumberText.percent(s.completion), completed_on: s.completedOn, on_time: s.onTime, days_late: s.daysLate)
        }
        due = view.due.map(item)
        late = view.late.map(item)
        stalled = view.stalled.map(item)
    }

    /// The workbook: the ranking, what fell due, what is late, and the method.
    public func tables() -> [Table] {
        [
            Table(
                name: "进度排名",
                header: ["排名", "责任单位", "任务数", "完成进度", "到期任务", "按期完成", "按期完成率", "逾期", "停滞", "上期排名", "名次变化", "进度变化（百分点）"],
                rows: ranking.map { u in
                    [
                        "\(u.rank)", u.unit, "\(u.tasks)", u.completion_text, "\(u.due)", "\(u.on_time)", u.on_time_rate_text, "\(u.overdue)",
                        "\(u.stalled)",
                        u.previous_rank.map(String.init) ?? "", u.rank_change.map(Self.signed) ?? "",
                        u.completion_change.map { String(format: "%+.2f", $0) } ?? "",
                    ]
                }),
            Table(name: "本期到期", header: Self.itemHeader, rows: due.map(Self.itemRow)),
            Table(name: "逾期任务", header: Self.itemHeader, rows: late.map(Self.itemRow)),
            Table(name: "计算方法", header: ["说明"], rows: method.map { [$0] }),
        ]
    }

    static let itemHeader = ["目标", "序号", "任务", "责任单位", "完成时限", "完成进度", "完成日期", "逾期天数"]
    static func itemRow(_ i: Item) -> [String] {
        [i.target, i.number, i.title, i.unit, i.deadline, i.completion_text, i.completed_on ?? "", i.days_late.map(String.init) ?? ""]
    }

    public static func signed(_ n: Int) -> String { n > 0 ? "↑\(n)" : n < 0 ? "↓\(-n)" : "—" }

    /// The printable bulletin of the dispatch meeting (晾晒进度通报).
    public func document(office: String) throws -> Data {
        var blocks: [DOCXWriter.Block] = [
            .title("\(year)年重点工作进度晾晒"),
            .paragraph(
                "截至\(DateText.chinese(day))，\(targets.joined(separator: "、"))共涉及\(ranking.count)个责任单位。现将各单位完成进度及与\(DateText.chinese(since))相比的变化通报如下。"
            ),
            .heading("一、进度排名"),
            .table(tables()[0]),
        ]
        if !last.isEmpty { blocks.append(.paragraph("位列末位的单位：\(last.joined(separator: "、"))。请相关单位认真查找原因，加快推进。")) }
        blocks.append(.heading("二、逾期任务"))
        blocks.append(late.isEmpty ? .paragraph("无。") : .table(Table(name: "", header: Self.itemHeader, rows: late.map(Self.itemRow))))
        blocks.append(.heading("三、计算方法"))
        blocks += method.map { .paragraph($0) }
        blocks.append(.signature("\(office)\n\(DateText.chinese(day))"))
        return try DOCXWriter.write(blocks, style: .official)
    }
}
