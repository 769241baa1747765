import DudaoCore
import Foundation
import Hummingbird
import Mustache

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
    /// A part of the county page drawn once per data version (`CountyViewCache`).
    case countyStages = "county-stages"
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

    /// The interface strings in the page's language (`{{t.key}}`).
    var t: [String: String]
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
/// and the layout's at the top level (`{{title}}`, `{{t.audit}}`, `{{entries}}`), looked up by
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
                guard let label = child.label, let value = Self.unwrapped(child.value) else { continue }
                properties[label] = value
            }
        }
        self.properties = properties
    }

    func child(named name: String) -> Any? { properties[name] }

    /// The value inside an optional; nil for an empty one; other values as they are.
    static func unwrapped(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return value }
        return mirror.children.first?.value
    }
}

/// The model of the error and not-found pages.
struct MessagePage: Sendable {
    var message: String
}
