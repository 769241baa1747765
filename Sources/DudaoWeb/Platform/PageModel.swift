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
struct Page<Model: Sendable>: MustacheParent, Sendable {
    let layout: Layout
    let model: Model

    func child(named name: String) -> Any? {
        if let value = Self.property(name, of: model) { return value }
        return Self.property(name, of: layout)
    }

    /// A stored property by name, optionals unwrapped (nil reads as "absent" in templates).
    static func property(_ name: String, of object: Any) -> Any? {
        guard let value = Mirror(reflecting: object).children.first(where: { $0.label == name })?.value else { return nil }
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return value }
        return mirror.children.first?.value
    }
}

/// The model of the error and not-found pages.
struct MessagePage: Sendable {
    var message: String
}
