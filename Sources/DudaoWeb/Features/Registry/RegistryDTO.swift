import DudaoCore

struct ProgrammeDTO: Encodable {
    struct Indicator: Encodable {
        var id: String
        var name_zh: String
        var name_en: String
        var thresholds: [String: Double]
    }

    var id: String
    var name_zh: String
    var name_en: String
    var stages: [String]
    var cv_mode: String
    var cv_limits: [String: Double]
    var cv_weighting: String
    var indicators: [Indicator]

    init(_ p: Programme) {
        id = p.id
        name_zh = p.nameZh
        name_en = p.nameEn
        stages = p.stages.map(\.rawValue)
        cv_mode = p.cvMode.rawValue
        cv_limits = Dictionary(uniqueKeysWithValues: p.cvLimits.map { ($0.key.rawValue, $0.value) })
        cv_weighting = p.cvWeighting.rawValue
        indicators = p.indicators.map {
            Indicator(
                id: $0.id, name_zh: $0.definition.nameZh, name_en: $0.definition.nameEn,
                thresholds: Dictionary(uniqueKeysWithValues: $0.thresholds.map { ($0.key.rawValue, $0.value) }))
        }
    }
}

struct RegionDTO: Encodable {
    struct Child: Encodable {
        var code: String
        var name: String
        var level: String
        var schools: Int
    }

    var code: String
    var name: String
    var level: String
    var parent_code: String?
    var years: [Int]
    var children: [Child]

    init(region: Region, children: [Region], counts: [String: Int], years: [Int]) {
        code = region.code
        name = region.name
        level = region.level.rawValue
        parent_code = region.parentCode
        self.years = years
        self.children = children.map { c in
            Child(
                code: c.code, name: c.name, level: c.level.rawValue,
                schools: counts.filter { $0.key.hasPrefix(c.code) }.values.reduce(0, +))
        }
    }
}

struct SchoolDTO: Encodable {
    var code: String
    var name: String
    var county_code: String
    var type: String
    var ownership: String
    var locality: String
    var boarding: Bool
    var township: String?
    var township_code: String?

    init(_ s: School) {
        code = s.code
        name = s.name
        county_code = s.countyCode
        type = s.type.rawValue
        ownership = s.ownership.rawValue
        locality = s.locality.rawValue
        boarding = s.boarding
        township = s.township
        township_code = s.townshipCode
    }
}

struct SchoolDetailDTO: Encodable {
    struct ReturnDTO: Encodable {
        var year: Int
        var stage: String
        var version: Int
        var values: [String: Double]
    }

    var school: SchoolDTO
    var returns: [ReturnDTO]

    init(school: School, rows: [(data: StageReturn, version: Int)]) {
        self.school = SchoolDTO(school)
        returns = rows.map { r in
            ReturnDTO(
                year: r.data.year, stage: r.data.stage?.rawValue ?? "all", version: r.version,
                values: Dictionary(uniqueKeysWithValues: r.data.values.map { ($0.key.rawValue, $0.value) }))
        }
    }
}
