import Foundation

/// The demo data of `dudao demo`: 禹州市 (411081), a realistic county of about 190 schools and
/// 55,000 students, and two neighbouring counties of 许昌市: 长葛市 (balanced, passes) and
/// 襄城县 (weak rural schools, fails). Deterministic: the same seed gives the same data.
public enum DemoCounty {
    public static let year = 2024
    public static let mainCounty = "411081"
    public static let neighbours = ["411082", "411025"]

    static let townships = [
        "神垕镇", "顺店镇", "方山镇", "鸠山镇", "文殊镇", "鸿畅镇", "梁北镇", "古城镇", "无梁镇", "火龙镇",
        "范坡镇", "郭连镇", "朱阁镇", "浅井镇", "方岗镇", "花石镇", "磨街乡", "张得乡", "小吕乡", "山货乡", "褚河镇", "苌庄镇",
    ]
    static let villages = [
        "张庄", "李庄", "王沟", "刘寨", "陈楼", "赵岗", "孙庄", "周村", "吴湾", "郑店", "冯庄", "魏庄",
        "杨楼", "黄岗", "马庄", "胡寨", "郭村", "何庄", "高庄", "林村", "罗沟", "梁庄", "宋寨", "唐村",
    ]
    static let numerals = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"]

    /// All demo rows: the main county for 2023 and 2024, neighbours for 2024.
    public static func records(seed: UInt64 = 20_241_124) -> [ReturnRecord] {
        var out: [ReturnRecord] = []
        let main = SchoolFactory.Profile(low: 0.98, high: 1.75, crampedUrbanSports: true, weakRuralShare: 0.12)
        out += county(code: mainCounty, name: "禹州市", scale: 1.0, profile: main, seed: seed, year: year - 1, growth: 0.97)
        out += county(code: mainCounty, name: "禹州市", scale: 1.0, profile: main, seed: seed, year: year, growth: 1.0)
        out += county(code: "411082", name: "长葛市", scale: 0.55, profile: .init(low: 1.04, high: 1.5), seed: seed &+ 1, year: year, growth: 1.0)
        out += county(
            code: "411025", name: "襄城县", scale: 0.5,
            profile: .init(low: 0.96, high: 1.9, crampedUrbanSports: false, weakRuralShare: 0.3),
            seed: seed &+ 2, year: year, growth: 1.0)
        return DemoDuty.enrich(out)
    }

    /// One county. Names and school mix are drawn from `seed` only, so that both years of the
    /// same county list the same schools; `growth` scales that year's enrolment.
    static func county(
        code: String, name: String, scale: Double, profile: SchoolFactory.Profile,
        seed: UInt64, year: Int, growth: Double
    ) -> [ReturnRecord] {
        var shape = SeededGenerator(seed: seed)
        var factory = SchoolFactory(random: SeededGenerator(seed: seed &+ 99), profile: profile, year: year)
        var out: [ReturnRecord] = []
        var serial = 0
        var row = 2
        func add(_ school: School, _ rows: [StageReturn]) {
            for r in rows {
                out.append(ReturnRecord(school: school, data: r, sourceRow: row))
                row += 1
            }
        }
        func newSchool(_ schoolName: String, _ type: SchoolType, _ ownership: Ownership, _ locality: Locality, boarding: Bool = false) -> School {
            serial += 1
            // The demo county's town and village schools carry the township their name begins with.
            let township = code == mainCounty ? townships.first { schoolName.hasPrefix($0) } : nil
            return School(
                code: "1\(code)\(String(format: "%03d", serial))", name: schoolName, countyCode: code, type: type,
                ownership: ownership, locality: locality, boarding: boarding, township: township,
                townshipCode: township.flatMap { TownshipCatalog.standard.code(named: $0, in: code) })
        }
        func count(_ n: Int) -> Int { max(1, Int((Double(n) * scale).rounded())) }
        func students(_ range: ClosedRange<Int>) -> Int { Int((Double(shape.int(range)) * growth).rounded()) }

        // Primary schools: urban (crowded), town centre schools, village schools, teaching points.
        for i in 0..<count(14) {
            let s = newSchool("\(name)\(i < 4 ? "实验" : "")第\(numerals[i % 12])小学", .primarySchool, i >= 12 ? .private : .public, .urban)
            add(s, [factory.stageRow(code: s.code, stage: .primary, students: students(500...1150), locality: .urban, weak: false)])
        }
        for i in 0..<count(20) {
            let s = newSchool("\(townships[i % townships.count])中心小学", .primarySchool, .public, .town)
            add(s, [factory.stageRow(code: s.code, stage: .primary, students: students(200...520), locality: .town, weak: false)])
        }
        for i in 0..<count(26) {
            let t = townships[(i * 7) % townships.count], v = villages[i % villages.count]
            let s = newSchool("\(t)\(v)小学", .primarySchool, .public, .rural)
            let weak = shape.chance(profile.weakRuralShare)
            add(s, [factory.stageRow(code: s.code, stage: .primary, students: students(60...190), locality: .rural, weak: weak)])
        }
        for i in 0..<count(8) {
            let t = townships[(i * 5 + 3) % townships.count], v = villages[(i + 11) % villages.count]
            let s = newSchool("\(t)\(v)教学点", .teachingPoint, .public, .rural)
            add(s, [factory.stageRow(code: s.code, stage: .primary, students: students(18...95), locality: .rural, weak: false)])
        }
        // Junior schools, some boarding in the townships.
        for i in 0..<count(10) {
            let urban = i < 3
            let s = newSchool(
                urban ? "\(name)第\(numerals[i])初级中学" : "\(townships[(i * 3) % townships.count])第一初级中学",
                .juniorSchool, i == 9 ? .private : .public, urban ? .urban : .town, boarding: !urban)
            add(
                s,
                [
                    factory.stageRow(
                        code: s.code, stage: .junior, students: students(urban ? 1300...2200 : 500...1100),
                        locality: urban ? .urban : .town, weak: false)
                ])
        }
        // Nine-year schools report shared resources once.
        for i in 0..<count(4) {
            let s = newSchool("\(townships[(i * 4 + 1) % townships.count])九年一贯制学校", .nineYear, i == 3 ? .private : .public, .town, boarding: true)
            add(s, factory.multiStageRows(code: s.code, stages: [(.primary, students(350...700)), (.junior, students(200...450))], locality: .town))
        }
        for i in 0..<count(4) {
            let s = newSchool("\(name)第\(numerals[i])高级中学", .seniorSchool, .public, .urban, boarding: true)
            add(s, [factory.otherRow(code: s.code, stage: .senior, students: students(1200...2000))])
        }
        for i in 0..<count(3) {
            let s = newSchool(i == 0 ? "\(name)职业教育中心" : "\(name)第\(numerals[i])中等职业学校", .vocational, i == 2 ? .private : .public, .urban)
            add(s, [factory.otherRow(code: s.code, stage: .vocational, students: students(600...1100))])
        }
        let special = newSchool("\(name)特殊教育学校", .special, .public, .urban, boarding: true)
        add(special, [factory.otherRow(code: special.code, stage: .special, students: students(90...160))])
        let brands = ["阳光", "育才", "小天使", "启明星", "金太阳"]
        for i in 0..<count(100) {
            let isPrivate = i % 3 == 0
            let township = townships[i % townships.count]
            let kindergartenName =
                i < 10
                ? "\(name)\(isPrivate ? brands[i % 5] : "")第\(numerals[i])幼儿园"
                : "\(township)\(villages[i % villages.count])\(isPrivate ? brands[i % 5] : "")幼儿园"
            let s = newSchool(kindergartenName, .kindergarten, isPrivate ? .private : .public, i < 20 ? .urban : (i < 60 ? .town : .rural))
            add(s, [factory.otherRow(code: s.code, stage: .preschool, students: students(40...180))])
        }
        return out
    }
}
