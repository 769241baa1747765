/// A region named in a page heading and its links.
struct RegionRef: Sendable {
    var code: String
    var name: String
}

/// A school in a list of links.
struct SchoolLink: Sendable {
    var name: String
    var code: String
}

/// 督学 work of a region: rectification cases with their rates and actions, assignment checks,
/// the month's visit coverage, and an inspector's own plan.
struct SupervisionPage: Sendable {
    struct Rates: Sendable {
        var total: Int
        var closed: Int
        var onTime: Int
        var overdue: Int
        var closingRate: String
        var onTimeRate: String
    }

    /// A filter link per rectification state.
    struct StateFilter: Sendable {
        var id: String
        var name: String
        var n: Int
        var selected: Bool
    }

    struct Case: Sendable, Hashable {
        var id: String
        var school: String
        var schoolCode: String
        var category: String
        var description: String
        var deadline: String
        var state: String
        var stateName: String
        var overdue: Bool
        /// Who it has been escalated to (empty when not overdue).
        var escalated: String
        var reopened: Bool
        var canStart: Bool
        var canSubmit: Bool
        var canVerify: Bool
        var canReturn: Bool
        var canReopen: Bool
        /// Overdue and the caller's office may write to the unit (提醒函/督办函/预警函).
        var canEscalate: Bool
    }

    /// Schools not visited this month, by responsible inspector.
    struct Unvisited: Sendable {
        var inspector: String
        var schools: [SchoolLink]
    }

    struct Overloaded: Sendable {
        var name: String
        var n: Int
    }

    struct PlanRow: Sendable {
        var name: String
        var code: String
        var last: String
        /// Visited this month.
        var done: Bool
    }

    struct InspectorRates: Sendable {
        var inspector: String
        var total: Int
        var closed: Int
        var closingRate: String
        var onTimeRate: String
    }

    var region: RegionRef
    var rates: Rates
    var states: [StateFilter]
    /// The page's table rows, each drawn by `supervision-case` (`SupervisionPages.rows`).
    var casesHTML: String
    /// Inspectors only: their own schools.
    var plan: [PlanRow]?
    /// The rates per inspector, roster checks and the month's coverage as HTML
    /// (`supervision-region`, drawn from a `RegionPart` with the kept tallies).
    var regionHTML: String
    var message: String?
    var pager = Pager(page: 1, hasNext: false, query: "")
}

extension SupervisionPage {
    /// One row of the cases table (`supervision-case`), kept per what it shows.
    struct CaseRow: Sendable {
        struct Key: Hashable, Sendable {
            var row: Case
            var language: String
        }

        var row: Case
        /// The letters an office can send about an overdue case, and the default reply day
        /// (only for a row with `canEscalate`).
        var letterKinds: [SelectOption]
        var replyDue: String
    }

    /// What the `supervision-region` fragment shows: the same for every visitor of the region.
    struct RegionPart: Sendable {
        var month: String
        var unvisited: [Unvisited]
        var unvisitedCount: Int
        var withoutInspector: Int
        var overloaded: [Overloaded]
        var byInspector: [InspectorRates]
    }
}
