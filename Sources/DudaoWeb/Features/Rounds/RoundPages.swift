import DudaoApp
import DudaoCore
import DudaoStore
import Foundation
import Hummingbird

/// 数据填报与审核: rounds, their progress, and the review buttons each user may press.
struct RoundPages: FeatureRoutes {
    let state: AppState

    func register(on router: RouterGroup<SignedInContext>) {
        router.get("rounds") { request, context in try await list(request, context) }
        router.post("rounds") { request, context in try await open(request, context) }
        router.get("rounds/:id") { request, context in try await show(request, context, id: try context.parameters.text("id")) }
        router.post("rounds/:id/actions") { request, context in try await act(request, context, id: try context.parameters.text("id")) }
    }

    func list(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let rl = RequestLanguage(request)
        let user = ctx.user
        let model = RoundsPage(
            rounds: try await RoundRepository(db.sql).list(for: user).map {
                .init(id: $0.id, title: $0.title, year: $0.year, region: $0.regionCode, by: $0.openedBy)
            },
            canOpen: user.isOfficeStaff, thisYear: Int(state.today.prefix(4)) ?? 2024)
        return pages.render(
            rl, .rounds, Page(layout: pages.layout(request, ctx, rl.language, title: Strings.shared("rounds", rl.language)), model: model))
    }

    func open(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let user = ctx.user
        let form = try await FormData.submitted(request, ctx)
        let year = try form.year()
        let title = try form.text("title").trimmingCharacters(in: .whitespaces)
        let only = try form.paragraph("schools").split(whereSeparator: { !$0.isNumber }).map(String.init)
        // Refusals (403 not allowed, 409 …) are answered by the error middleware.
        let round = try await state.services.rounds.open(year: year, title: title.isEmpty ? "\(year)学年统计数据填报" : title, by: user, only: only)
        return .redirect(to: "/rounds/\(round.id)", type: .normal)
    }

    func show(
        _ request: Request, _ ctx: SignedInContext, id: String, message: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let rl = RequestLanguage(request)
        let lang = rl.language
        let user = ctx.user
        guard let round = try await RoundRepository(db.sql).find(id), RoundRepository.concerns(round, user) else {
            return pages.notFound(request, ctx, rl, what: "round \(id)")
        }
        let snapshot = try await RoundRepository(db.sql).snapshot(round)
        // The caller's own unit: their school, their region, or the round's region if above it.
        let scope = RegionCode.contains(round.regionCode, user.regionCode) ? user.regionCode : round.regionCode
        let inScope = snapshot.schools.keys.filter { code in
            user.schoolCode.map { $0 == code } ?? RegionCode.contains(scope, snapshot.counties[code] ?? "")
        }
        var counts: [SubmissionState: Int] = [:]
        var approvedCount = 0
        for code in inScope {
            if snapshot.lockingApproval(school: code) != nil { approvedCount += 1 } else { counts[snapshot.schools[code]!, default: 0] += 1 }
        }

        let schoolNames = try await SchoolRepository(db.sql).find(codes: Array(inScope))
        var units: [RoundPage.Unit] = []
        if let school = user.schoolCode {
            units = [unitRow(school, name: schoolNames[school]?.name ?? school, isSchool: true, snapshot, user, round, lang)]
        } else if RegionCode.level(of: scope) == .county {
            units = snapshot.children(of: scope).map { unitRow($0, name: schoolNames[$0]?.name ?? $0, isSchool: true, snapshot, user, round, lang) }
        } else {
            for code in snapshot.children(of: scope.isEmpty ? round.regionCode : scope) {
                let name = try await RegionRepository(db.sql).find(code)?.name ?? code
                units.append(unitRow(code, name: name, isSchool: false, snapshot, user, round, lang))
            }
        }
        // The caller's own level: approve it, or see that it is approved.
        var own: RoundPage.Own?
        if !scope.isEmpty, snapshot.reviewUnits.contains(scope) {
            own = .init(
                code: scope, approved: snapshot.approved.contains(scope),
                canApprove: (try? ReviewChain.apply(.approve(region: scope), by: user, to: snapshot)) != nil)
        }
        let model = RoundPage(
            round: .init(id: round.id, title: round.title, year: round.year, region: round.regionCode),
            counts: SubmissionState.allCases.map { .init(label: $0.label(lang), n: counts[$0] ?? 0, state: $0.rawValue) }
                + [.init(label: Strings.shared("approved", lang), n: approvedCount, state: "approved")],
            units: units, message: message, own: own)
        return pages.render(rl, .round, Page(layout: pages.layout(request, ctx, lang, title: round.title), model: model), status: status)
    }

    /// One row of the progress table with the buttons the chain allows this user.
    func unitRow(
        _ code: String, name: String, isSchool: Bool, _ s: RoundSnapshot, _ user: Identity, _ round: Round, _ lang: Language
    ) -> RoundPage.Unit {
        func allowed(_ action: ReviewAction) -> Bool { (try? ReviewChain.apply(action, by: user, to: s)) != nil }
        if isSchool {
            let state = s.schools[code] ?? .notStarted
            let approvedBy = s.lockingApproval(school: code)
            return .init(
                code: code, name: name, href: "/schools/\(code)",
                status: approvedBy.map { "\(Strings.shared("approved", lang)) (\($0))" } ?? state.label(lang),
                state: approvedBy == nil ? state.rawValue : "approved",
                canSubmit: allowed(.submit(school: code)), canReturn: allowed(.returnSchool(school: code, comment: "x")),
                canEdit: s.isEditable(school: code) && user.role != .inspector, editHref: "/schools/\(code)/returns/\(round.year)/edit")
        }
        let schools = s.schools.filter { RegionCode.contains(code, s.counties[$0.key] ?? "") }
        let submitted = schools.values.filter { $0 == .submitted }.count
        return .init(
            code: code, name: name, href: "/rounds/\(round.id)",
            status: s.approved.contains(code)
                ? Strings.shared("approved", lang) : "\(submitted)/\(schools.count) \(Strings.shared("submittedShort", lang))",
            state: s.approved.contains(code) ? "approved" : "pending",
            canReturn: allowed(.returnRegion(region: code, comment: "x")), canApprove: allowed(.approve(region: code)))
    }

    func act(_ request: Request, _ ctx: SignedInContext, id: String) async throws -> Response {
        let lang = RequestLanguage(request).language
        let user = ctx.user
        let form = try await FormData.parse(request, ctx)
        guard form.hasValidCSRF(ctx) else {
            return try await show(request, ctx, id: id, message: Strings.shared("csrfFailed", lang), status: .forbidden)
        }
        guard let round = try await RoundRepository(db.sql).find(id), RoundRepository.concerns(round, user) else {
            return pages.notFound(request, ctx, RequestLanguage(request), what: "round \(id)")
        }
        guard let action = RoundActionForm.action(form.fields) else {
            return try await show(request, ctx, id: id, message: "unknown action", status: .badRequest)
        }
        do {
            try await state.services.rounds.act(action, round: round, by: user)
        } catch let refusal as ReviewRefusal {
            return try await show(
                request, ctx, id: id, message: refusal.message(lang),
                status: refusal.code == "not_allowed" ? .forbidden : .conflict)
        }
        return .redirect(to: "/rounds/\(id)", type: .normal)
    }
}

/// `action`, `unit`, `comment` fields (forms and JSON alike) → a review action.
enum RoundActionForm {
    static func action(_ fields: [String: String]) -> ReviewAction? {
        let unit = fields["unit"] ?? "", comment = fields["comment"] ?? ""
        guard unit.count <= 12, comment.count <= Checked.maxText else { return nil }
        let isSchool = School.isValidCode(unit)
        switch fields["action"] {
        case "submit" where isSchool: return .submit(school: unit)
        case "approve" where !isSchool: return .approve(region: unit)
        case "return": return isSchool ? .returnSchool(school: unit, comment: comment) : .returnRegion(region: unit, comment: comment)
        default: return nil
        }
    }
}
