import Foundation
import Testing

@testable import DudaoCore

/// Key-task completion, lateness, stalling and the ranking, against figures worked out by hand.
@Suite("Key tasks: completion, overdue, stalled, ranking")
struct KeyTaskTests {
    static let target = KeyTarget(id: "t", regionCode: "4110", year: 2026, title: "消除大班额", createdBy: "x", createdAt: "2026-01-05T00:00:00Z")

    static func task(
        _ id: String, parent: String? = nil, unit: String = "禹州市教育局", deadline: String = "2026-12-31", weight: Double? = nil,
        measure: KeyTaskMeasure? = .checkbox, cadence: ReportCadence = .monthly
    ) -> KeyTask {
        KeyTask(
            id: id, targetId: "t", parentId: parent, number: id, title: "任务\(id)", regionCode: "411081", unit: unit, deadline: deadline,
            weight: weight, measure: measure, cadence: cadence, createdAt: "2026-01-05T00:00:00Z")
    }

    static func report(
        _ task: String, _ day: String, value: Double? = nil, done: Bool? = nil, status: ReportStatus = .accepted, at: String? = nil
    ) -> ProgressReport {
        ProgressReport(
            id: UUID().uuidString, taskId: task, day: day, value: value, done: done, status: status, reportedBy: "u",
            reportedAt: at ?? "\(day)T08:00:00Z")
    }

    static func progress(_ tasks: [KeyTask], _ reports: [ProgressReport], asOf: String = "2026-06-15") -> KeyTargetProgress {
        KeyTargetProgress(target: target, tasks: tasks, reports: reports, asOf: asOf)
    }

    @Test func aParentIsTheWeightedAverageOfItsChildren() throws {
        // Weights 3 and 1, completions 1 and 0.5: (3×1 + 1×0.5) ÷ 4 = 0.875.
        let p = Self.progress(
            [
                Self.task("1", measure: nil), Self.task("1.1", parent: "1", weight: 3),
                Self.task("1.2", parent: "1", weight: 1, measure: .number(target: 10, baseline: 0, unit: "所")),
            ], [Self.report("1.1", "2026-06-01", done: true), Self.report("1.2", "2026-06-01", value: 5)])
        #expect(try approx(try #require(p.standing("1")).completion, 0.875))
        #expect(approx(p.completion, 0.875))
    }

    @Test func aChildWithoutWeightCountsAsOne() throws {
        // Weights (none → 1) and 2, completions 1 and 0: 1 ÷ 3.
        let p = Self.progress(
            [Self.task("1", measure: nil), Self.task("1.1", parent: "1"), Self.task("1.2", parent: "1", weight: 2)],
            [Self.report("1.1", "2026-06-01", done: true)])
        #expect(try approx(try #require(p.standing("1")).completion, 1.0 / 3.0))
    }

    @Test func siblingsAllWeighingNothingCountEqually() throws {
        // Weights 0 and 0, completions 1 and 0.5 (50 of 100): (1 + 0.5) ÷ 2 = 0.75.
        let p = Self.progress(
            [
                Self.task("1", measure: nil), Self.task("1.1", parent: "1", weight: 0),
                Self.task("1.2", parent: "1", weight: 0, measure: .number(target: 100, baseline: 0, unit: "个")),
            ], [Self.report("1.1", "2026-06-01", done: true), Self.report("1.2", "2026-06-01", value: 50)])
        #expect(try approx(try #require(p.standing("1")).completion, 0.75))
    }

    @Test func completionIsNeverASum() throws {
        let p = Self.progress(
            [Self.task("1", measure: nil), Self.task("1.1", parent: "1"), Self.task("1.2", parent: "1"), Self.task("1.3", parent: "1")],
            ["1.1", "1.2", "1.3"].map { Self.report($0, "2026-06-01", done: true) })
        #expect(try approx(try #require(p.standing("1")).completion, 1))
        #expect(approx(p.completion, 1))
    }

    @Test func numbersAgainstTargetsAndReductions() {
        let places = KeyTaskMeasure.number(target: 2000, baseline: 0, unit: "个")
        #expect(approx(places.completion(value: 500, done: nil), 0.25))
        #expect(approx(places.completion(value: 2500, done: nil), 1))
        #expect(approx(places.completion(value: nil, done: nil), 0))
        // 120 large classes to 0: 30 left is (30 − 120) ÷ (0 − 120) = 0.75; more than at the start is 0.
        let reduce = KeyTaskMeasure.computed(metric: .classes56Plus, target: 0, baseline: 120)
        #expect(approx(reduce.completion(value: 30, done: nil), 0.75))
        #expect(approx(reduce.completion(value: 150, done: nil), 0))
        #expect(approx(reduce.completion(value: 0, done: nil), 1))
        // A private share from 14% down to 12%: 13% is half way.
        #expect(approx(KeyTaskMeasure.number(target: 12, baseline: 14, unit: "%").completion(value: 13, done: nil), 0.5))
        #expect(KeyTaskMeasure.checkbox.completion(value: nil, done: true) == 1)
        #expect(KeyTaskMeasure.checkbox.completion(value: nil, done: false) == 0)
    }

    @Test func onlyAcceptedReportsUpToTheDayCount() throws {
        let tasks = [Self.task("1", measure: .number(target: 100, baseline: 0, unit: "个"))]
        let reports = [
            Self.report("1", "2026-05-01", value: 20), Self.report("1", "2026-06-01", value: 40),
            Self.report("1", "2026-06-10", value: 90, status: .submitted), Self.report("1", "2026-06-11", value: 95, status: .returned),
            Self.report("1", "2026-06-20", value: 60),
        ]
        let june15 = try #require(Self.progress(tasks, reports).standing("1"))
        #expect(approx(june15.completion, 0.4))
        #expect(june15.value == 40)
        #expect(june15.pending == 1)
        #expect(june15.lastReport == "2026-06-10")
        let may15 = try #require(Self.progress(tasks, reports, asOf: "2026-05-15").standing("1"))
        #expect(approx(may15.completion, 0.2))
        let june30 = try #require(Self.progress(tasks, reports, asOf: "2026-06-30").standing("1"))
        #expect(approx(june30.completion, 0.6))
    }

    @Test func overdueAndOnTime() throws {
        let tasks = [
            Self.task("1", deadline: "2026-06-30"), Self.task("2", deadline: "2026-06-30"), Self.task("3", deadline: "2026-06-30"),
        ]
        let reports = [Self.report("2", "2026-06-20", done: true), Self.report("3", "2026-07-05", done: true)]
        let p = Self.progress(tasks, reports, asOf: "2026-07-10")
        let one = try #require(p.standing("1")), two = try #require(p.standing("2")), three = try #require(p.standing("3"))
        #expect(one.overdue && one.daysLate == 10)
        #expect(!two.overdue && two.onTime && two.completedOn == "2026-06-20")
        #expect(!three.overdue && !three.onTime && three.completedOn == "2026-07-05")
        // On the deadline itself nothing is late yet.
        #expect(try #require(Self.progress(tasks, reports, asOf: "2026-06-30").standing("1")).overdue == false)
    }

    @Test func aParentIsCompletedWhenItsLastWeightedChildIs() throws {
        let p = Self.progress(
            [Self.task("1", deadline: "2026-06-30", measure: nil), Self.task("1.1", parent: "1"), Self.task("1.2", parent: "1")],
            [Self.report("1.1", "2026-05-01", done: true), Self.report("1.2", "2026-06-25", done: true)], asOf: "2026-07-01")
        let parent = try #require(p.standing("1"))
        #expect(parent.completedOn == "2026-06-25" && parent.onTime)
    }

    @Test func stalledTasks() throws {
        let tasks = [
            Self.task("1", measure: .number(target: 10, baseline: 0, unit: "所")),
            Self.task("2", measure: .number(target: 10, baseline: 0, unit: "所")),
            Self.task("3", cadence: .weekly),
        ]
        let reports = [
            Self.report("1", "2026-05-10", value: 2),
            Self.report("2", "2026-05-20", value: 4), Self.report("2", "2026-06-10", value: 4),
            Self.report("3", "2026-06-05", done: false),
        ]
        // Monthly after 05-10: due by 06-10; on 06-11 it is stalled, on 06-10 not yet.
        #expect(try #require(Self.progress(tasks, reports, asOf: "2026-06-11").standing("1")).stall == .noReport(since: "2026-05-10"))
        #expect(try #require(Self.progress(tasks, reports, asOf: "2026-06-10").standing("1")).stall == nil)
        // Two reports with the same value.
        #expect(try #require(Self.progress(tasks, reports, asOf: "2026-06-11").standing("2")).stall == .unchanged(since: "2026-05-20"))
        // Weekly after 06-05: due by 06-12.
        #expect(try #require(Self.progress(tasks, reports, asOf: "2026-06-12").standing("3")).stall == nil)
        #expect(try #require(Self.progress(tasks, reports, asOf: "2026-06-13").standing("3")).stall == .noReport(since: "2026-06-05"))
        // Never reported: counted from the day the task was set (2026-01-05, monthly: due 02-05).
        #expect(try #require(Self.progress([Self.task("9")], [], asOf: "2026-02-06").standing("9")).stall == .noReport(since: "2026-01-05"))
    }

    @Test func cadenceDueDays() {
        #expect(ReportCadence.monthly.nextDue(after: "2026-01-31") == "2026-02-28")
        #expect(ReportCadence.monthly.nextDue(after: "2026-12-15") == "2027-01-15")
        #expect(ReportCadence.weekly.nextDue(after: "2026-12-29") == "2027-01-05")
    }

    /// Target: 1 (weight 2) = {1.1 A, 1.2 B} (no weights), 2 (weight 1) owned by A.
    /// Shares: 1.1 = 2/3 × 1/2 = 1/3, 1.2 = 1/3, 2 = 1/3.
    /// On 2026-07-10: 1.1 done 06-20 (deadline 06-30: on time), 1.2 at 50% (deadline 06-30: late),
    /// 2 done 07-05 (deadline 06-30: late).
    /// A: leaves 1.1 (1/3, 1) and 2 (1/3, 1) → completion 1; due 2, on time 1 → 50%.
    /// B: leaf 1.2 (1/3, 0.5) → 0.5; due 1, on time 0 → 0%. A first, B second.
    @Test func rankingByWeightedCompletionThenOnTime() throws {
        let tasks = [
            Self.task("1", unit: "A", weight: 2, measure: nil),
            Self.task("1.1", parent: "1", unit: "A", deadline: "2026-06-30"),
            Self.task("1.2", parent: "1", unit: "B", deadline: "2026-06-30", measure: .number(target: 10, baseline: 0, unit: "所")),
            Self.task("2", unit: "A", deadline: "2026-06-30", weight: 1),
        ]
        let reports = [
            Self.report("1.1", "2026-06-20", done: true), Self.report("1.2", "2026-06-20", value: 5), Self.report("2", "2026-07-05", done: true),
        ]
        let p = Self.progress(tasks, reports, asOf: "2026-07-10")
        #expect(try approx(try #require(p.standing("1.1")).share, 1.0 / 3.0))
        #expect(approx(p.leaves.map(\.share).reduce(0, +), 1))
        // Target: 2/3 × (1 + 0.5)/2 + 1/3 × 1 = 0.8333…
        #expect(approx(p.completion, 2.0 / 3.0 * 0.75 + 1.0 / 3.0))
        let ranking = KeyRanking([p])
        #expect(ranking.units.map(\.unit) == ["A", "B"])
        let a = ranking.units[0], b = ranking.units[1]
        #expect(try approx(a.completion, 1) && a.due == 2 && a.onTime == 1 && approx(try #require(a.onTimeRate), 0.5))
        #expect(approx(b.completion, 0.5) && b.overdue == 1 && b.onTimeRate == 0)
        #expect(ranking.last.map(\.unit) == ["B"])

        // On 06-15 nothing is complete yet and nothing due: A 0, B 0 → a shared first place, no one last.
        let before = KeyRanking([Self.progress(tasks, reports, asOf: "2026-06-15")])
        #expect(before.units.map(\.rank) == [1, 1])
        #expect(before.last.isEmpty)
        let compared = ranking.compared(with: before)
        #expect(try compared.units[0].rankChange == 0 && approx(try #require(compared.units[0].completionChange), 100))
        #expect(try compared.units[1].rankChange == -1 && approx(try #require(compared.units[1].completionChange), 50))
    }

    @Test func tiesShareARankAndTheNextSkips() {
        let tasks = ["A", "B", "C"].map { Self.task($0, unit: $0, deadline: "2026-06-30") }
        let reports = [Self.report("A", "2026-06-01", done: true), Self.report("B", "2026-06-01", done: true)]
        let ranking = KeyRanking([Self.progress(tasks, reports, asOf: "2026-07-01")])
        #expect(ranking.units.map(\.unit) == ["A", "B", "C"])
        #expect(ranking.units.map(\.rank) == [1, 1, 3])
    }

    @Test func theDispatchViewListsWhatFellDueAndWhatIsLate() {
        let tasks = [
            Self.task("1", unit: "A", deadline: "2026-05-31"), Self.task("2", unit: "B", deadline: "2026-06-20"),
            Self.task("3", unit: "B", deadline: "2026-07-31"),
        ]
        let reports = [Self.report("2", "2026-06-18", done: true)]
        let view = DispatchView(now: [Self.progress(tasks, reports, asOf: "2026-06-30")], then: [Self.progress(tasks, reports, asOf: "2026-05-31")])
        #expect(view.due.map(\.standing.task.id) == ["2"])
        #expect(view.late.map(\.standing.task.id) == ["1"])
        #expect(view.ranking.units.first?.unit == "B")
    }

    @Test func theShippedLetterTextsUseOnlyFactsDudaoProvides() throws {
        let shipped = LetterTemplates.builtIn
        #expect(shipped.unknownPlaceholders().isEmpty, "\(shipped.unknownPlaceholders())")
        var broken = shipped
        broken.triggers["ranking"]!.facts.append("{mayor}")
        #expect(broken.unknownPlaceholders() == ["ranking: {mayor}"])
        let (title, body) = shipped.letter(
            .reminder, .ranking,
            facts: [
                "as_of": "2026年11月25日", "tasks": "4", "completion": "33.33%", "on_time_rate": "0.00%", "units": "2", "rank": "2", "overdue": "2",
                "reply_due": "2026年12月5日", "office": "许昌市人民政府教育督导室",
            ])
        #expect(title == "关于重点工作进度滞后的提醒函")
        #expect(body.first == "在2026年11月25日的重点工作进度晾晒中，你单位承担的4项任务完成进度为33.33%，按期完成率为0.00%，在2个责任单位中排名第2位，位列末位；逾期任务2项。")
        #expect(body.last == "特此提醒。")
        #expect(!body.joined().contains("{"))
    }

    @Test func letterNumbersAndLateness() {
        #expect(EscalationLetter.number(officeName: "禹州市", kind: .supervision, year: 2026, seq: 3) == "禹督办〔2026〕3号")
        #expect(EscalationLetter.number(officeName: "", kind: .warning, year: 2026, seq: 1) == "国督警〔2026〕1号")
        #expect(EscalationLetter.lateness(deadline: "2026-10-31", asOf: "2026-11-25") == "已逾期25天")
        #expect(EscalationLetter.lateness(deadline: "2026-11-30", asOf: "2026-11-25") == "距完成时限尚余5天")
        #expect(EscalationLetter.lateness(deadline: "2026-11-25", asOf: "2026-11-25") == "今日到期")
        #expect(EscalationLetter.officeName(region: "禹州市") == "禹州市人民政府教育督导室")
    }
}
