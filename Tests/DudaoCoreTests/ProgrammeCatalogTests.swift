import Foundation
import Testing

@testable import DudaoCore

/// The programmes shipped as data (Resources/programmes/*.json), checked against SPEC §3.2–§3.3.
@Suite("Programme catalogue", .enabled(if: coreResourcesAvailable))
struct ProgrammeCatalogTests {

    @Test func builtInProgrammes() throws {
        #expect(ProgrammeCatalog.builtIn.map(\.id) == ["basic-2012", "quality-2017"])
        #expect(ProgrammeCatalog.programme(id: ProgrammeCatalog.defaultId)?.id == "quality-2017")
        #expect(ProgrammeCatalog.programme(id: "nope") == nil)
    }

    /// Every programme file in the folder decodes (the catalogue file is not a programme).
    @Test func everyShippedFileDecodes() throws {
        let dir = CoreResources.url("programmes")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { $0.hasSuffix(".json") && $0 != "indicators.json" }.sorted()
        #expect(files == ["basic-2012.json", "quality-2017.json"])
        for file in files {
            let programme = try Programme.decode(Data(contentsOf: dir.appendingPathComponent(file)))
            #expect(file == "\(programme.id).json")
            #expect(!programme.nameZh.isEmpty && !programme.nameEn.isEmpty)
            #expect(programme.stages == [.primary, .junior])
        }
    }

    /// SPEC §3.2 table, primary ≥ / junior ≥.
    @Test func quality2017() throws {
        let p = try qualityProgramme()
        let expected: [(String, Double, Double)] = [
            ("teachers_above_degree_per100", 4.2, 5.3),
            ("key_teachers_per100", 1, 1),
            ("pe_art_teachers_per100", 0.9, 0.9),
            ("teaching_area_per_student", 4.5, 5.8),
            ("sports_area_per_student", 7.5, 10.2),
            ("instrument_value_per_student", 2000, 2500),
            ("multimedia_classrooms_per100", 2.3, 2.4),
        ]
        #expect(p.indicators.count == 7)
        #expect(p.indicators.map(\.id) == expected.map(\.0))
        for (indicator, (id, primary, junior)) in zip(p.indicators, expected) {
            #expect(indicator.thresholds == [.primary: primary, .junior: junior], "\(id)")
        }
        #expect(p.schoolRule?.minMet == 6)
        #expect(p.schoolRule?.othersMinRatio == 0.85)
        #expect(p.cvMode == .each)
        #expect(p.cvLimits == [.primary: 0.50, .junior: 0.45])
        #expect(p.cvWeighting == .students)
        #expect(p.participation.excludedSchoolTypes == [.special, .vocational])
        #expect(p.participation.minStudents == [.teachingPoint: 50])
        #expect(p.stageSplitWeights == [.primary: 1, .junior: 1, .senior: 1])
        #expect(p.pending.map(\.id) == ["government_assurance", "education_quality", "public_satisfaction"])
        #expect(p.name(.zh).contains("优质均衡"))
    }

    /// SPEC §3.3: eight indicators, overall CV (mean of eight) ≤ 0.65 primary, ≤ 0.55 junior.
    @Test func basic2012() throws {
        let p = try basicProgramme()
        #expect(p.indicators.count == 8)
        #expect(
            Set(p.indicators.map(\.id)) == [
                "teaching_area_per_student", "sports_area_per_student", "instrument_value_per_student",
                "computers_per100", "books_per_student", "teachers_per100",
                "teachers_above_degree_per100", "teachers_mid_title_per100",
            ])
        #expect(p.indicators.allSatisfy { $0.thresholds.isEmpty })
        #expect(p.schoolRule == nil)
        #expect(p.cvMode == .mean)
        #expect(p.cvLimits == [.primary: 0.65, .junior: 0.55])
        #expect(p.cvWeighting == .students)
        #expect(p.participation.excludedSchoolTypes == [.special, .vocational])
        #expect(p.pending.map(\.id) == ["standardization", "government_promotion"])
    }

    /// Every programme indicator comes from the shared catalogue, with the right numerator and scale.
    @Test func indicatorCatalogue() throws {
        let catalogue = IndicatorDefinition.catalogue
        let expected: [String: (ReturnField, Double)] = [
            "teachers_above_degree_per100": (.teachersAboveDegree, 100),
            "key_teachers_per100": (.keyTeachers, 100),
            "pe_art_teachers_per100": (.peArtTeachers, 100),
            "teaching_area_per_student": (.teachingAreaM2, 1),
            "sports_area_per_student": (.sportsAreaM2, 1),
            "instrument_value_per_student": (.instrumentValueYuan, 1),
            "multimedia_classrooms_per100": (.multimediaClassrooms, 100),
            "computers_per100": (.computers, 100),
            "books_per_student": (.books, 1),
            "teachers_per100": (.teachers, 100),
            "teachers_mid_title_per100": (.teachersMidTitle, 100),
        ]
        #expect(Set(catalogue.keys) == Set(expected.keys))
        for (id, (numerator, scale)) in expected {
            let d = try #require(catalogue[id])
            #expect(d.numerator == numerator, "\(id)")
            #expect(d.scale == scale, "\(id)")
            #expect(!d.nameZh.isEmpty && !d.nameEn.isEmpty)
        }
        for programme in ProgrammeCatalog.builtIn {
            for indicator in programme.indicators {
                #expect(catalogue[indicator.id] == indicator.definition)
            }
        }
    }

    /// value = numerator / students × scale; nil without students or with a blank fact.
    @Test func indicatorValue() throws {
        let perHundred = try #require(IndicatorDefinition.catalogue["key_teachers_per100"])
        #expect(perHundred.value(of: makeRow([.students: 250, .keyTeachers: 3])) == 1.2)  // 3/250·100
        let perStudent = try #require(IndicatorDefinition.catalogue["books_per_student"])
        #expect(perStudent.value(of: makeRow([.students: 302, .books: 1913])) == 1913.0 / 302.0)
        #expect(perStudent.value(of: makeRow([.students: 0, .books: 10])) == nil)
        #expect(perStudent.value(of: makeRow([.students: 10])) == nil)
    }

    // MARK: decoding an office's own programme

    func json(
        indicators: String = #"[{"id": "books_per_student", "thresholds": {"primary": 20}}]"#,
        limits: String = #"{"primary": 0.6, "junior": 0.5}"#,
        minStudents: String = #"{"teaching_point": 30}"#, extra: String = ""
    ) -> Data {
        Data(
            """
            {"id": "henan-2023", "name_zh": "河南省方案", "name_en": "Henan", "stages": ["primary", "junior"],
             "indicators": \(indicators),
             "cv_rule": {"mode": "each", "limits": \(limits)},
             "participation": {"excluded_school_types": ["special"], "min_students": \(minStudents)}\(extra)}
            """.utf8)
    }

    @Test func customProgrammeDecodesWithDefaults() throws {
        let p = try Programme.decode(json(extra: #", "stage_split_weights": {"primary": 1, "junior": 1.1, "senior": 1.32}"#))
        #expect(p.indicators.map(\.id) == ["books_per_student"])
        #expect(p.indicators.first?.thresholds == [.primary: 20])
        #expect(p.cvWeighting == .students)  // default
        #expect(p.schoolRule == nil)
        #expect(p.pending.isEmpty)
        #expect(p.participation.minStudents == [.teachingPoint: 30])
        #expect(p.stageSplitWeights == [.primary: 1, .junior: 1.1, .senior: 1.32])
        #expect(try Programme.decode(json()).stageSplitWeights.isEmpty)
    }

    @Test func unknownIndicatorIsRejected() {
        #expect(throws: DecodingError.self) { try Programme.decode(json(indicators: #"[{"id": "swimming_pools"}]"#)) }
    }

    @Test func missingCVLimitIsRejected() {
        #expect(throws: DecodingError.self) { try Programme.decode(json(limits: #"{"primary": 0.6}"#)) }
    }

    @Test func unknownStageIsRejected() {
        #expect(throws: DecodingError.self) { try Programme.decode(json(limits: #"{"primary": 0.6, "junior": 0.5, "college": 1}"#)) }
    }

    @Test func unknownSchoolTypeIsRejected() {
        #expect(throws: DecodingError.self) { try Programme.decode(json(minStudents: #"{"village_school": 30}"#)) }
    }
}
