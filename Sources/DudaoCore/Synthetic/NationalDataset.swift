/// A national-scale data set for benchmarks (`dudao generate`): schools spread over the
/// counties of the 31 mainland provinces, in the canonical return format.
public enum NationalDataset {
    /// The facts the generator writes beyond the canonical returns columns (ReturnColumns in
    /// DudaoFiles); a test checks that generated rows carry nothing else.
    public static let extraFields: [ReturnField] = [.classes, .graduates, .inclusive]

    /// Mainland county-level codes of the catalogue (provinces 11–65), at most `limit`.
    public static func counties(limit: Int, catalog: RegionCatalog = .standard) -> [Region] {
        let all = catalog.regions.values.filter {
            $0.level == .county && !$0.name.hasSuffix("市辖区") && (Int($0.code.prefix(2)) ?? 99) <= 65
        }.sorted { $0.code < $1.code }
        guard all.count > limit else { return all }
        // Spread the selection evenly over the sorted list so every province is represented.
        return (0..<limit).map { all[$0 * all.count / limit] }
    }

    /// Calls `emit` for every row of `year`, county by county, without holding the whole set in
    /// memory. The same seed gives the same schools every year (codes, names, types, locality);
    /// enrolment grows by 2% a year and the facts with it. `kindergartens`
    /// adds that many kindergartens (codes starting with 2) with a 学前 row each.
    public static func generate(
        schools: Int, kindergartens: Int = 0, counties countyCount: Int = 2850, year: Int = 2024, seed: UInt64 = 7,
        emit: (ReturnRecord) throws -> Void
    ) rethrows {
        let counties = counties(limit: countyCount)
        var random = SeededGenerator(seed: seed)
        let drift = 1 + 0.02 * Double(year - 2024)
        func enrolment(_ range: ClosedRange<Int>) -> Int { max(1, Int((Double(random.int(range)) * drift).rounded())) }
        for (index, county) in counties.enumerated() {
            let quota = schools / counties.count + (index < schools % counties.count ? 1 : 0)
            let profile = SchoolFactory.Profile(
                low: random.uniform(0.9...1.05), high: random.uniform(1.3...2.2),
                crampedUrbanSports: random.chance(0.4), weakRuralShare: random.uniform(0...0.3))
            // The same draws every year: a school's facts move with its enrolment, as real
            // returns do from one year to the next (the year-on-year checks stay quiet).
            var factory = SchoolFactory(random: SeededGenerator(seed: seed &+ UInt64(index) &* 1_000_003), profile: profile, year: year)
            for serial in 1...max(1, quota) {
                let code = "1\(county.code)\(String(format: "%03d", serial % 1000))"
                let kind = random.int(0...99)
                let locality: Locality = kind < 25 ? .urban : (kind < 55 ? .town : .rural)
                let type: SchoolType
                switch kind {
                case 0..<58: type = .primarySchool
                case 58..<66: type = .teachingPoint
                case 66..<90: type = .juniorSchool
                case 90..<96: type = .nineYear
                case 96..<98: type = .special
                default: type = .vocational
                }
                let school = School(
                    code: code, name: "\(county.name)第\(serial)校", countyCode: county.code, type: type,
                    ownership: random.chance(0.08) ? .private : .public, locality: locality)
                let rows: [StageReturn]
                switch type {
                case .nineYear:
                    rows = [
                        factory.stageRow(code: code, stage: .primary, students: enrolment(200...900), locality: locality, weak: false),
                        factory.stageRow(code: code, stage: .junior, students: enrolment(150...600), locality: locality, weak: false),
                    ]
                case .teachingPoint:
                    rows = [factory.stageRow(code: code, stage: .primary, students: enrolment(15...120), locality: .rural, weak: false)]
                case .juniorSchool:
                    rows = [
                        factory.stageRow(
                            code: code, stage: .junior, students: enrolment(300...2000), locality: locality,
                            weak: locality == .rural && random.chance(profile.weakRuralShare))
                    ]
                case .special, .vocational:
                    rows = [factory.stageRow(code: code, stage: .primary, students: enrolment(60...400), locality: locality, weak: false)]
                default:
                    rows = [
                        factory.stageRow(
                            code: code, stage: .primary, students: enrolment(100...2400), locality: locality,
                            weak: locality == .rural && random.chance(profile.weakRuralShare))
                    ]
                }
                for row in rows { try emit(ReturnRecord(school: school, data: row, sourceRow: 0)) }
            }
            let kindergartenQuota = kindergartens / counties.count + (index < kindergartens % counties.count ? 1 : 0)
            for serial in 0..<kindergartenQuota {
                let code = "2\(county.code)\(String(format: "%03d", (serial + 1) % 1000))"
                let kind = random.int(0...99)
                let school = School(
                    code: code, name: "\(county.name)第\(serial + 1)幼儿园", countyCode: county.code, type: .kindergarten,
                    // About a third of kindergartens are private, most of them certified inclusive.
                    ownership: kind < 35 ? .private : .public, locality: kind % 4 == 0 ? .urban : (kind % 4 == 1 ? .rural : .town))
                var row = factory.otherRow(code: code, stage: .preschool, students: enrolment(40...360))
                if school.ownership == .private { row[.inclusive] = kind < 25 ? 1 : 0 }
                try emit(ReturnRecord(school: school, data: row, sourceRow: 0))
            }
        }
    }
}
