import DudaoCore
import Foundation
import Hummingbird
import Mustache
import Synchronization

/// Every template the server renders. The renderer checks at start-up that each exists, so a
/// missing template stops the server when it starts, never a user at run time.
enum PageTemplate: String, CaseIterable, Sendable {
    case account, assessment, assessments, audit, bulletin, county, countyFacts = "county-facts", draws, duty, error, evaluation, home, login, notice,
        notices, plates
    case publicDraw = "public-draw", region, report, returnForm = "return-form", round, rounds, school, sheet, supervision, visit
    case documents, document
    case surveys, surveyAnswer = "survey-answer", surveyCampaign = "survey-campaign", surveyInvitations = "survey-invitations"
    case keyTasks = "key-tasks", keyTarget = "key-target", keyTask = "key-task", dispatch, letters, letter
    case projects, complaints, complaint, agenda
    /// The county page's stage sections, drawn once per data version (`CountyDrawing`).
    case countyStages = "county-stages"
    /// A county's verdict line, scored parts and links, drawn once per data version (`CountyDrawing`).
    case countyHeadline = "county-headline"
    /// The roll-up table of a city, province or the nation, drawn once per data version (`RegionDrawing`).
    case regionRollup = "region-rollup"
    /// The bulletin's tables, drawn once per bulletin kept (`BulletinPages.bulletin`).
    case bulletinTables = "bulletin-tables"
    /// The school page below its heading (`RegistryPages.school`).
    case schoolBody = "school-body"
    /// The supervision list's region-wide part (rates per inspector, roster checks, coverage).
    case supervisionRegion = "supervision-region"
    /// One row of the supervision list's cases, kept per what it shows (`SupervisionPages.rows`).
    case supervisionCase = "supervision-case"
    /// One change-log entry's table row, kept per entry (`AuditPages.rows`).
    case auditRow = "audit-row"
}

/// What the layout (head and foot partials) shows on every page.
struct Layout: Sendable {
    struct Crumb: Sendable {
        var name: String
        var href: String
    }

    struct User: Sendable {
        var name: String
        var role: String
        var scope: String
    }

    /// `zh-CN` or `en`.
    var lang: String
    var title: String
    /// The same URL in the other language.
    var switchLink: String
    var crumbs: [Crumb]
    var user: User?
    var csrf: String
    var canAudit: Bool
}

/// A typed page: the layout plus the page's own model. Templates see the model's properties
/// and the layout's at the top level (`{{title}}`, `{{canAudit}}`, `{{entries}}`), looked up by
/// name through reflection; a misspelt name in a model is a compile error, not a blank.
struct Page<Model: Sendable>: MustacheParent, @unchecked Sendable {
    let layout: Layout
    let model: Model
    /// The model's and the layout's properties by name, read once (a page looks names up
    /// hundreds of times; a fresh reflection each time copied the whole model each time).
    /// Unchecked: built from the two Sendable values above and never changed.
    private let properties: [String: Any]

    init(layout: Layout, model: Model) {
        self.layout = layout
        self.model = model
        // The model's value wins; an empty optional is absent (and leaves the layout's).
        var properties: [String: Any] = [:]
        for object in [layout as Any, model as Any] {
            for child in Mirror(reflecting: object).children {
                guard let label = child.label, let value = ModelFields.wrap(child.value) else { continue }
                properties[label] = value
            }
        }
        self.properties = properties
    }

    func child(named name: String) -> Any? { properties[name] }
}

/// A struct inside a page model (a row, a section) as templates read it: its properties by
/// name, read once into a table on the first lookup, nested structs wrapped the same way.
/// swift-mustache's own lookup reflects on every property of a value for each name it looks
/// for, and a row's `{{csrf}}` looks in the row before the page: a list of 50 rows with their
/// forms cost thousands of reflections a request (70% of the supervision page's time).
/// Behaves as the reflection did: an empty optional is absent (the lookup goes on up the
/// context), arrays stay sequences, text, numbers, truth values and enums stay themselves.
final class ModelFields: MustacheParent, CustomStringConvertible, @unchecked Sendable {
    private let value: Any
    /// Unchecked: filled once, under the lock, from the immutable `value`.
    private let fields = Mutex<[String: Any]?>(nil)

    private init(_ value: Any) { self.value = value }

    func child(named name: String) -> Any? {
        fields.withLock { fields in
            if fields == nil {
                var table: [String: Any] = [:]
                for child in Mirror(reflecting: value).children {
                    guard let label = child.label, let wrapped = Self.wrap(child.value) else { continue }
                    table[label] = wrapped
                }
                fields = table
            }
            return fields?[name]
        }
    }

    var description: String { String(describing: value) }

    /// What a template should see for a model's value: nil for an empty optional.
    static func wrap(_ value: Any) -> Any? {
        switch value {
        case is String, is Int, is Bool, is Double, is Substring, is MustacheParent: return value
        default: break
        }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional: return mirror.children.first.flatMap { wrap($0.value) }
        case .collection: return mirror.children.map { wrap($0.value) ?? Optional<Any>.none as Any }
        case .struct, .class: return ModelFields(value)
        default: return value
        }
    }
}

/// The model of the error and not-found pages.
struct MessagePage: Sendable {
    var message: String
}

/// Links to the previous and next page of a long list (`?page=`), keeping the list's other
/// query parameters (`query`: already encoded, ending with "&" when not empty).
struct Pager: Sendable, Equatable {
    var previous: String?
    var next: String?
    var page: Int

    init(page: Int, hasNext: Bool, query: String) {
        self.page = page
        previous = page > 1 ? "?\(query)page=\(page - 1)" : nil
        next = hasNext ? "?\(query)page=\(page + 1)" : nil
    }
}
