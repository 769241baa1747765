import DudaoCore

/// A school's page: registry facts, every return row, visits, rectification cases, history.
struct SchoolPage: Sendable {
    struct Facts: Sendable {
        var code: String
        var name: String
        var type: String
        var ownership: String
        var locality: String
        var boarding: String
        /// 乡镇/街道 (and its code), when known.
        var township: String?
    }

    struct Cell: Sendable {
        var value: String
    }

    struct ReturnRow: Sendable {
        var year: Int
        var stage: String
        var version: Int
        /// One cell per `fieldHeads` column (empty where the row has no value).
        var values: [Cell]
    }

    struct Photo: Sendable {
        var id: String
        var name: String
    }

    struct Visit: Sendable {
        var date: String
        var inspector: String
        var checklist: String
        var status: String
        var photos: [Photo]
    }

    struct Rates: Sendable {
        var closingRate: String
        var onTimeRate: String
        var total: Int
    }

    struct Case: Sendable {
        var description: String
        var state: String
        var stateId: String
        var deadline: String
    }

    struct Responsible: Sendable {
        var name: String
        var phone: String
    }

    /// The school in its county's stored evaluation: per stage, the verdict and the gaps in words.
    struct Standing: Sendable {
        var stage: String
        var verdict: String
        var passed: Bool
        var met: Int
        var gaps: [String]
    }

    var school: Facts
    var responsible: Responsible?
    var canVisit: Bool
    /// Everything below the heading as HTML (`school-body`, drawn from a `SchoolBody` once per
    /// data and supervision version of the county and day).
    var bodyHTML: String
}

/// The school page below its heading: its place in the county's evaluation, its returns, visits,
/// cases and the history of its returns. The same for every visitor.
struct SchoolBody: Sendable {
    var standingTitle: String? = nil
    var standing: [SchoolPage.Standing] = []
    var standingVersion: String? = nil
    var fieldHeads: [NameRow]
    var returns: [SchoolPage.ReturnRow]
    var history: [AuditRow]
    var visits: [SchoolPage.Visit]
    var schoolRates: SchoolPage.Rates
    var cases: [SchoolPage.Case]
}

/// The registry parts of a school's page: its facts and its return rows.
enum SchoolView {
    static func facts(_ s: School, lang: Language) -> SchoolPage.Facts {
        let t = Strings.shared
        return .init(
            code: s.code, name: s.name, type: s.type.label(lang), ownership: s.ownership.label(lang),
            locality: s.locality.label(lang), boarding: t(s.boarding ? "yes" : "no", lang),
            township: s.township.map { name in s.townshipCode.map { "\(name)（\($0)）" } ?? name })
    }

    /// Only the fields some row has get a column.
    static func returns(_ rows: [(data: StageReturn, version: Int)], lang: Language) -> (heads: [NameRow], rows: [SchoolPage.ReturnRow]) {
        let t = Strings.shared
        let fields = ReturnField.allCases.filter { f in rows.contains { $0.data[f] != nil } }
        return (
            fields.map { NameRow(name: lang == .zh ? $0.zh : $0.en) },
            rows.map { r in
                .init(
                    year: r.data.year, stage: r.data.stage?.label(lang) ?? t("wholeSchool", lang), version: r.version,
                    values: fields.map { .init(value: r.data[$0].map(NumberText.plain) ?? "") })
            }
        )
    }
}

/// The region selector of the region and county pages: which year and programme to show.
struct YearOption: Sendable {
    var year: Int
    var selected: Bool
}

struct ProgrammeOption: Sendable {
    var id: String
    var name: String
    var selected: Bool
}

struct RegionHeading: Sendable {
    var name: String
    var code: String
    var level: String
    /// What the place was called in the year shown, when that differs (411003 in 2016: 许昌县).
    var formerName: String? = nil
}

/// A county's page: the evaluation of the chosen year and programme, and its evaluation cases.
struct CountyPage: Sendable {
    struct Case: Sendable {
        var id: String
        var year: Int
        var programme: String
        var step: String
    }

    var region: RegionHeading
    var years: [YearOption]
    var programmes: [ProgrammeOption]
    /// `year=…&programme=…` for the download links.
    var query: String
    var noData: Bool
    /// nil when there are no returns (`noData`).
    /// The verdict line; the stage sections come drawn (`stagesHTML`).
    var evaluation: Headline?

    /// What the county page shows of the evaluation itself (a small value: templates look names
    /// up by reflection, and reflecting the whole evaluation for each one cost half the page).
    struct Headline: Sendable {
        var passed: Bool
        var programmeName: String
        var programmeId: String
        var year: Int
        /// The data version the page shows and when it was drawn from it (office time).
        var dataVersion: Int
        var computedAt: String

        init(_ view: CountyView, dataVersion: Int, computedAt: String) {
            passed = view.passed
            programmeName = view.programmeName
            programmeId = view.programmeId
            year = view.year
            self.dataVersion = dataVersion
            self.computedAt = computedAt
        }
    }
    var cases: [Case]
    var canStart: Bool
    /// The verdict line, the scored parts and the links (`county-headline`), drawn once per data version.
    var headlineHTML = ""
    /// The stage sections, drawn once per data version.
    var stagesHTML = ""

    /// What `county-headline` draws: the headline (its `{{#evaluation}}` section), the
    /// programme's parts beyond the computed one with their sheets' state, and the links
    /// (`region.code`, `query`).
    struct HeadlineView: Sendable {
        var region: RegionHeading
        var query: String
        var evaluation: Headline
        var parts: [Part]
    }

    struct Part: Sendable {
        var id: String
        var name: String
        var href: String?
        var status: String
        /// `pass`, `fail` or `open`.
        var state: String
    }
}

/// A city's or province's page: its counties rolled up, and its child regions.
struct RegionPage: Sendable {
    struct Child: Sendable {
        var name: String
        var href: String
        var schools: Int
    }

    var region: RegionHeading
    var years: [YearOption]
    var programmes: [ProgrammeOption]
    var query: String
    var noData: Bool
    /// The roll-up table as drawn for its data version (`region-rollup`); empty without returns (`noData`).
    var rollupHTML: String
    var children: [Child]
}

/// The overview: provinces with their cities and school counts, and the programmes.
struct HomePage: Sendable {
    struct City: Sendable {
        var name: String
        var href: String
        var schools: Int
    }

    struct Province: Sendable {
        var name: String
        var href: String
        var schools: Int
        var cities: [City]
    }

    struct Programme: Sendable {
        var id: String
        var name: String
    }

    var provinces: [Province]
    var empty: Bool
    var programmes: [Programme]
}
