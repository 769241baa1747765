/// 挂牌督导 plates of a region's schools, for printing.
struct PlatesPage: Sendable {
    struct Plate: Sendable {
        var school: String
        var code: String
        var inspector: String
        var phone: String
        var zone: String
        var office: String
        /// What is supervised (the routine checklist's sections).
        var areas: [NameRow]
    }

    var plates: [Plate]
}

/// 双随机 draws of a region, and the form to make one.
struct DrawsPage: Sendable {
    struct Team: Sendable {
        var school: String
        var code: String
        var inspectors: String
    }

    struct Draw: Sendable {
        var id: String
        var title: String
        var seed: String
        var published: Bool
        /// The day it was drawn.
        var at: String
        var by: String
        var teams: [Team]
    }

    var region: RegionRef
    var canDraw: Bool
    var message: String?
    var draws: [Draw]
}

/// 一公开: a published draw and what came of it.
struct PublicDrawPage: Sendable {
    struct Heading: Sendable {
        var title: String
        var seed: String
        var at: String
        var region: String
    }

    struct Team: Sendable {
        var school: String
        var inspectors: String
        /// Signed visits since the draw.
        var visits: Int
        var last: String
        var findings: Int
    }

    var draw: Heading
    var teams: [Team]
}
