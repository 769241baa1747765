/// The government-duty facts of the demo (SPEC §3.5): the extra return columns for every
/// school row and the county facts, drawn from a seed so that every page shows something real.
/// 禹州市 fails some duty indicators on purpose: crowded urban primary classes (大班额), two
/// schools allocated less public funds than the standard, and gross preschool enrolment
/// under 90%.
public enum DemoDuty {
    /// Adds the duty columns to the demo rows.
    public static func enrich(_ records: [ReturnRecord], seed: UInt64 = 20_241_125) -> [ReturnRecord] {
        var random = SeededGenerator(seed: seed)
        let standard = DutyProgramme.countyDuty.publicFunds
        var shortSchools = 0
        return records.map { record in
            var r = record
            guard let stage = r.data.stage else { return r }
            let p = r.data.students
            let main = r.school.countyCode == DemoCounty.mainCounty
            switch stage {
            case .primary, .junior:
                let classes = r.data[.classes] ?? max(1, (p / 45).rounded())
                let crowded = main && r.school.locality == .urban && stage == .primary
                let large = crowded ? min(classes, (classes * random.uniform(0.1...0.3)).rounded()) : 0
                r.data[.classes56Plus] = large
                r.data[.classes66Plus] = crowded && random.chance(0.3) ? min(large, 1) : 0
                let limit = stage == .primary ? 45.0 : 50.0
                r.data[.largestClass] =
                    (r.data[.classes66Plus] ?? 0) > 0
                    ? Double(random.int(66...70)) : large > 0 ? Double(random.int(56...62)) : Double(random.int(Int(limit) - 8...Int(limit)))
                r.data[.entrants] = (p / (stage == .primary ? 6 : 3) * random.uniform(0.95...1.05)).rounded()
                r.data[.disabledInRegularClasses] = Double(random.int(0...3))
                r.data[.boarders] = r.school.boarding ? (p * random.uniform(0.3...0.6)).rounded() : 0
                let lunch = (p * random.uniform(0.2...0.6)).rounded()
                r.data[.lunchNeeding] = lunch
                r.data[.lunchServed] = r.school.locality == .rural && main && random.chance(0.3) ? (lunch * 0.8).rounded() : lunch
                let after = (p * random.uniform(0.6...0.9)).rounded()
                r.data[.afterSchoolNeeding] = after
                r.data[.afterSchoolServed] = after
                // Required public funds (the programme's standard), allocated in full or a
                // little more, except two schools of 禹州市 that get 10% less.
                let funded = r.school.locality == .rural && p < standard.smallRuralSchoolFloor ? standard.smallRuralSchoolFloor : p
                let disabled = r.data[.disabledInRegularClasses] ?? 0
                let required =
                    standard.perStudentYuan[stage]! * (funded - disabled) + standard.perDisabledStudentYuan * disabled
                    + standard.perBoarderYuan * (r.data[.boarders] ?? 0)
                var factor = random.uniform(1.0...1.08)
                if main && r.data.year == DemoCounty.year && r.school.type == .juniorSchool && shortSchools < 2 {
                    shortSchools += 1
                    factor = 0.9
                }
                r.data[.publicFundsAllocatedYuan] = (required * factor).rounded(.up)
            case .preschool:
                r.data[.nurseryChildren] = Double(random.int(0...20))
                if r.school.ownership == .private { r.data[.inclusive] = random.chance(0.7) ? 1 : 0 }
            case .senior:
                r.data[.streams] = max(1, ((r.data[.classes] ?? 12) / 3).rounded())
            case .special:
                // Special schools: at least 6000 yuan per student (the standard for students with disabilities).
                r.data[.publicFundsAllocatedYuan] = (p * standard.perDisabledStudentYuan * random.uniform(1.0...1.1)).rounded(.up)
            case .vocational:
                break
            }
            r.data[.safeCampus] = random.chance(main ? 0.95 : 1) ? 1 : 0
            r.data[.legalVicePrincipal] = 1
            r.data[.siteAreaM2] = (p * random.uniform(15...30)).rounded()
            r.data[.buildingAreaM2] = (p * random.uniform(6...12)).rounded()
            return r
        }
    }

    /// County facts for the demo year: 禹州市 with gross preschool enrolment under target and
    /// teacher pay just below civil servants'; 长葛市 and 襄城县 meeting both.
    public static func countyFacts(records: [ReturnRecord]) -> [CountyFacts] {
        let year = DemoCounty.year
        let counties = [DemoCounty.mainCounty] + DemoCounty.neighbours
        return counties.map { county in
            let preschool = records.filter { $0.school.countyCode == county && $0.data.year == year && $0.data.stage == .preschool }
                .reduce(0) { $0 + $1.data.students }
            let main = county == DemoCounty.mainCounty
            return CountyFacts(
                countyCode: county, year: year,
                values: [
                    .preschoolAgePopulation: (preschool / (main ? 0.87 : 0.93)).rounded(),
                    .educationSpending: main ? 186_500 : 98_200, .educationSpendingPrev: main ? 179_300 : 97_900,
                    .perStudentSpending: main ? 11_860 : 12_140, .perStudentSpendingPrev: main ? 11_520 : 12_010,
                    .teacherAveragePay: main ? 86_400 : 91_800, .civilServantAveragePay: main ? 88_100 : 90_500,
                ])
        }
    }
}
