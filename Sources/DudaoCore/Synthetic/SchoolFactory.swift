/// Builds plausible return rows for one school: per-student resources drawn around the
/// quality-2017 thresholds with a profile's spread, rounded to whole teachers, rooms and m².
struct SchoolFactory {
    /// How a county's resources are spread. `cramped` urban schools lack sports space (a
    /// real and common failure); `weak` rural schools lack teachers and equipment.
    struct Profile: Sendable {
        var low: Double = 1.0
        var high: Double = 1.7
        var crampedUrbanSports = false
        var weakRuralShare = 0.0
    }

    var random: SeededGenerator
    let profile: Profile
    let year: Int

    static let thresholds: [Stage: [ReturnField: Double]] = [
        .primary: [
            .teachersAboveDegree: 4.2, .keyTeachers: 1, .peArtTeachers: 0.9, .teachingAreaM2: 4.5,
            .sportsAreaM2: 7.5, .instrumentValueYuan: 2000, .multimediaClassrooms: 2.3,
        ],
        .junior: [
            .teachersAboveDegree: 5.3, .keyTeachers: 1, .peArtTeachers: 0.9, .teachingAreaM2: 5.8,
            .sportsAreaM2: 10.2, .instrumentValueYuan: 2500, .multimediaClassrooms: 2.4,
        ],
    ]

    /// A stage row with every canonical fact.
    mutating func stageRow(code: String, stage: Stage, students: Int, locality: Locality, weak: Bool) -> StageReturn {
        let base = Self.thresholds[stage] ?? Self.thresholds[.junior]!
        var row = StageReturn(schoolCode: code, year: year, stage: stage)
        let p = Double(students)
        func ratio(_ field: ReturnField) -> Double {
            if field == .sportsAreaM2 && profile.crampedUrbanSports {
                if locality == .urban { return random.uniform(0.42...0.95) }
                if locality == .rural { return random.uniform(1.6...3.4) }
            }
            if weak && [.teachersAboveDegree, .instrumentValueYuan, .multimediaClassrooms, .keyTeachers].contains(field) {
                return random.uniform(0.62...1.02)
            }
            return random.uniform(profile.low...profile.high)
        }
        let perStudentTeachers = stage == .primary ? 1 / 17.0 : 1 / 13.0
        let teachers = max(2, Int((p * perStudentTeachers * random.uniform(0.9...1.15)).rounded()))
        row[.students] = p
        row[.teachers] = Double(teachers)
        // Counts are rounded up, so a small school keeps at least the drawn ratio.
        func per100(_ field: ReturnField) -> Double {
            let wanted = (base[field]! * ratio(field) * p / 100).rounded(.up)
            return min(Double(teachers), max(0, wanted))
        }
        row[.teachersAboveDegree] = per100(.teachersAboveDegree)
        row[.keyTeachers] = per100(.keyTeachers)
        row[.peArtTeachers] = max(1, per100(.peArtTeachers))
        row[.teachersMidTitle] = (Double(teachers) * random.uniform(0.35...0.65)).rounded()
        row[.multimediaClassrooms] = max(1, (base[.multimediaClassrooms]! * ratio(.multimediaClassrooms) * p / 100).rounded(.up))
        row[.teachingAreaM2] = (base[.teachingAreaM2]! * ratio(.teachingAreaM2) * p).rounded()
        row[.sportsAreaM2] = (base[.sportsAreaM2]! * ratio(.sportsAreaM2) * p).rounded()
        row[.instrumentValueYuan] = (base[.instrumentValueYuan]! * ratio(.instrumentValueYuan) * p / 100).rounded() * 100
        row[.computers] = (p * random.uniform(0.08...0.2)).rounded()
        row[.books] = (p * random.uniform(18...45)).rounded()
        row[.classes] = max(1, (p / random.uniform(38...50)).rounded())
        row[.graduates] = (p / (stage == .primary ? 6 : 3) * random.uniform(0.9...1.0)).rounded()
        return row
    }

    /// A row for a stage outside compulsory education: students, teachers, space.
    mutating func otherRow(code: String, stage: Stage, students: Int) -> StageReturn {
        var row = StageReturn(schoolCode: code, year: year, stage: stage)
        let p = Double(students)
        row[.students] = p
        row[.teachers] = max(2, (p / random.uniform(9...16)).rounded())
        row[.teachingAreaM2] = (p * random.uniform(4...9)).rounded()
        row[.sportsAreaM2] = (p * random.uniform(3...12)).rounded()
        row[.books] = (p * random.uniform(10...40)).rounded()
        row[.classes] = max(1, (p / random.uniform(25...45)).rounded())
        return row
    }

    /// A multi-stage school reports its shared resources once (stage "all") and students and
    /// teachers per stage; evaluation splits the resources (SPEC §2).
    mutating func multiStageRows(code: String, stages: [(Stage, Int)], locality: Locality) -> [StageReturn] {
        var rows = stages.map { stageRow(code: code, stage: $0.0, students: $0.1, locality: locality, weak: false) }
        var whole = StageReturn(schoolCode: code, year: year, stage: nil)
        for field in ReturnField.allCases where field.isSharedResource {
            whole[field] = rows.reduce(0) { $0 + ($1[field] ?? 0) }
            for i in rows.indices { rows[i][field] = nil }
        }
        return rows + [whole]
    }
}
