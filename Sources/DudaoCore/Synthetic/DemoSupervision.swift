import Foundation

/// Supervision demo data for the demo county: responsible inspectors (about five schools
/// each, grouped in zones by township), three months of visits, and rectification cases in
/// every state. Deterministic from the seed.
public enum DemoSupervision {
    public struct Visit: Sendable {
        public var id: String
        public var school: String
        public var inspector: String
        public var date: String
        public var kind: VisitKind
        public var checklist: String
        public var peopleMet: String
        public var notes: String
    }

    public struct Data: Sendable {
        public var inspectors: [Inspector]
        /// School → inspector id.
        public var responsibility: [String: String]
        public var visits: [Visit]
        public var cases: [(visit: String, rectification: RectificationCase)]
    }

    public static let surnames = Array("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕").map(String.init)
    public static let given = ["建国", "秀英", "志强", "丽华", "国庆", "红梅", "卫东", "海燕", "振华", "玉兰", "春生", "桂芳", "德明", "淑珍", "文斌"]
    public static let problems: [(String, String)] = [
        ("canteen", "食堂食品留样记录不全"), ("safety", "消防通道堆放杂物"), ("workload", "部分班级书面作业量超标"),
        ("health_pe", "体育课被占用，未保证每天1小时校园体育活动"), ("enrolment_fees", "收取资料费未公示"),
        ("safety", "校门口护学岗未落实"), ("management", "课程表与实际授课不一致"), ("canteen", "饮用水卫生检测报告过期"),
        ("teacher_ethics", "个别教师有偿补课举报待核查"), ("ethos", "校园文化墙破损未修复"),
    ]

    /// - Parameter today: the demo's "now" (cases get states consistent with it).
    public static func make(schools: [School], county: String, today: String = "2026-11-24", seed: UInt64 = 20_261_124) -> Data {
        var random = SeededGenerator(seed: seed)
        let sorted = schools.filter { $0.countyCode == county }.sorted { $0.code < $1.code }
        let count = max(1, (sorted.count + 4) / 5)
        var inspectors: [Inspector] = []
        for n in 0..<count {
            let name = surnames[n % surnames.count] + given[(n * 7) % given.count]
            inspectors.append(
                Inspector(
                    id: "\(county)-I\(String(format: "%02d", n + 1))", name: name,
                    phone: "1390374\(String(format: "%04d", 1000 + n * 37 % 9000))",
                    kind: n % 3 == 0 ? .fullTime : .partTime, regionCode: county, zone: "第\(n / 8 + 1)责任区"))
        }
        var responsibility: [String: String] = [:]
        for (i, school) in sorted.enumerated() { responsibility[school.code] = inspectors[min(i / 5, count - 1)].id }
        var visits: [Visit] = []
        var cases: [(String, RectificationCase)] = []
        for month in ["2026-09", "2026-10", "2026-11"] {
            for (i, school) in sorted.enumerated() {
                // Most schools are visited monthly; some slip in November (the coverage page shows them).
                if month == "2026-11" && i % 9 == 4 { continue }
                let day = month == "2026-11" ? random.int(2...20) : random.int(3...27)
                let id = "V\(month.replacingOccurrences(of: "-", with: ""))-\(school.code)"
                let special = month == "2026-09" && i % 6 == 0
                visits.append(
                    Visit(
                        id: id, school: school.code, inspector: responsibility[school.code]!, date: "\(month)-\(String(format: "%02d", day))",
                        kind: special ? .special : .routine, checklist: special ? "start-of-term" : "routine",
                        peopleMet: "校长、分管副校长、班主任代表", notes: ""))
                guard random.chance(0.12) else { continue }
                let (category, text) = problems[random.int(0...(problems.count - 1))]
                let opened = "\(month)-\(String(format: "%02d", day))"
                var c = RectificationCase(
                    id: "R-\(id)", schoolCode: school.code, countyCode: county, category: category, description: text,
                    assignedUnit: school.name, responsiblePerson: "校长", deadline: addDays(opened, 30), openedOn: opened)
                // States spread by age: old cases mostly closed (some late), recent ones open.
                let age = DateText.days(from: opened, to: today) ?? 0
                switch (age > 45, random.int(0...9)) {
                case (true, 0...5): c.state = .closed; c.closedOn = addDays(opened, random.int(10...29))
                case (true, 6...7): c.state = .closed; c.closedOn = addDays(opened, random.int(32...50))
                case (true, 8): c.state = .inProgress; c.reopenCount = 1  // reopened by a follow-up check (回头看)
                case (true, _): c.state = .inProgress
                case (false, 0...2): c.state = .assigned
                case (false, 3...5): c.state = .inProgress
                case (false, 6...7): c.state = .evidenceSubmitted
                default: c.state = .closed; c.closedOn = addDays(opened, random.int(5...15))
                }
                if let closed = c.closedOn, closed > today { c.closedOn = today }
                cases.append((id, c))
            }
        }
        return Data(inspectors: inspectors, responsibility: responsibility, visits: visits, cases: cases)
    }

    static func addDays(_ date: String, _ n: Int) -> String {
        guard let base = DateText.ordinal(date) else { return date }
        return DateText.string(fromOrdinal: base + n)
    }
}

extension DateText {
    /// yyyy-MM-dd for days since 1970-01-01.
    public static func string(fromOrdinal z0: Int) -> String {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return "\(String(format: "%04d", y))-\(String(format: "%02d", m))-\(String(format: "%02d", d))"
    }
}
