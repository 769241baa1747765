/// The visit form: the chosen checklist as a form, with a draft's answers and its problems.
struct VisitPage: Sendable {
    /// The visit being recorded (a new id for a new visit).
    struct Visit: Sendable {
        var id: String
        var version: Int
        var date: String
        var peopleMet: String
        var notes: String
        var location: String
    }

    /// An option of a select (checklists, item choices).
    struct Option: Sendable {
        var id: String
        var name: String
        var selected: Bool
    }

    struct Issue: Sendable {
        var text: String
    }

    /// One checklist item. `hint` and `relevant` are nil when the item has none (the template
    /// tests them as sections; an empty string would count as present).
    struct Item: Sendable {
        var id: String
        var text: String
        var hint: String?
        var required: Bool
        var relevant: String?
        var isYesNo: Bool
        var isNumber: Bool
        var isText: Bool
        var isChoice: Bool
        var isPhoto: Bool
        var yes: Bool
        var no: Bool
        var value: String
        var choices: [Option]
        var issues: [Issue]
    }

    struct Section: Sendable {
        var title: String
        var items: [Item]
    }

    struct Category: Sendable {
        var id: String
        var name: String
    }

    var school: SchoolLink
    var visit: Visit
    var checklists: [Option]
    var checklistId: String
    var sections: [Section]
    var categories: [Category]
    var message: String?
}
