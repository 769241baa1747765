/// The return entry page of a school and year: one form per stage.
struct ReturnFormPage: Sendable {
    struct SchoolRef: Sendable {
        var code: String
        var name: String
    }

    struct Field: Sendable {
        var id: String
        var label: String
        var unit: String
        var value: String
        var step: String
        /// The stored value after a version conflict. Always a string: the template shows every
        /// field's current value (empty ones too) when there was a conflict.
        var current: String
    }

    struct Warning: Sendable {
        var code: String
        var message: String
    }

    struct Form: Sendable {
        /// A stage id, or `all` for the whole-school row.
        var stage: String
        var stageName: String
        /// The version the form was read at.
        var version: Int
        var fields: [Field]
        var conflict: Bool
        /// Warnings that need a written reason.
        var warnings: [Warning]
    }

    var school: SchoolRef
    var year: Int
    var message: String?
    var locked: Bool
    var forms: [Form]
}
