import DudaoApp
import DudaoCore
import DudaoStore
import Foundation
import Hummingbird

/// `PUT /api/v1/schools/{code}/returns/{year}/{stage}`: edit one return row with its version.
struct ReturnEditRequest: Decodable {
    /// The version the client read (0 for a new row).
    var version: Int
    /// Facts to set; absent keys keep their stored value, null clears.
    var values: [String: Double?]
    /// Written reasons for warnings, by rule id.
    var reasons: [String: String]?
}

struct ReturnEditResponse: Encodable {
    var version: Int
}

struct ConflictResponse: Encodable {
    struct Row: Encodable {
        var version: Int
        var values: [String: Double]
    }

    var error: APIErrorBody.Body
    var current: Row
    var yours: Row
}

struct IssuesResponse: Encodable {
    var error: APIErrorBody.Body
    var issues: [ImportIssue]
}

extension APIRoutes {
    func registerReturns(on api: RouterGroup<SignedInContext>) {
        api.put("schools/:code/returns/:year/:stage") { request, context in try await editReturn(request, context) }
    }

    func editReturn(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let user = context.user
        let code = try context.parameters.text("code")
        guard let school = try await SchoolRepository(db.sql).find(code), user.canRead(school: school) else {
            throw AppError.notFound("school \(code)")
        }
        guard user.canEnterReturns(for: school) else {
            throw AppError.forbidden(zh: "\(user.role.zh)不能填报数据", en: "\(user.role.rawValue) may not enter returns")
        }
        let year = try context.parameters.year()
        let stageText = try context.parameters.text("stage")
        let stage: Stage? = stageText == "all" ? nil : Stage.parse(stageText)
        guard stage != nil || stageText == "all" else { throw AppError.invalid("stage", message: "unknown stage \(stageText)") }
        let body = try await request.decode(
            ReturnEditRequest.self, context: context, limit: 1 << 20, expected: "{\"version\": n, \"values\": {...}}")
        let key = ReturnKey(schoolCode: code, year: year, stage: stage)
        var data =
            try await ReturnRepository(db.sql).existing(schools: [code], years: [year])[key]?.data
            ?? StageReturn(schoolCode: code, year: year, stage: stage)
        for (name, value) in body.values {
            guard let field = ReturnField(rawValue: name) else { throw AppError.invalid("values.\(name)", message: "unknown field \(name)") }
            data[field] = try value.map { v throws(FieldError) in try field.check(v) }
        }
        var reasons: [String: String] = [:]
        for (rule, text) in body.reasons ?? [:] {
            reasons[rule] = try Checked.text(text, field: "reasons.\(rule)", max: Checked.maxText, multiline: true)
        }
        _ = try Checked.integer(body.version, field: "version", in: Checked.versions)
        do {
            let version = try await state.services.returns.edit(
                school: school, data: data, expectedVersion: body.version, reasons: reasons, actor: user.username)
            return try json(ReturnEditResponse(version: version))
        } catch let conflict as VersionConflict {
            func row(_ r: StageReturn, _ v: Int) -> ConflictResponse.Row {
                .init(version: v, values: Dictionary(uniqueKeysWithValues: r.values.map { ($0.key.rawValue, $0.value) }))
            }
            return try json(
                ConflictResponse(
                    error: .init(
                        code: "version_conflict", field: "version",
                        message:
                            "the row was changed by someone else (version \(conflict.currentVersion), you sent \(conflict.yourVersion)); nothing was saved / 数据已被他人修改，未保存"
                    ),
                    current: row(conflict.current, conflict.currentVersion), yours: row(conflict.yours, conflict.yourVersion)), status: .conflict)
        } catch let refused as EditRefused {
            switch refused {
            case .locked(let why):
                return try json(
                    APIErrorBody(error: .init(code: "locked", field: nil, message: why)), status: .init(code: 423, reasonPhrase: "Locked"))
            case .invalid(let issues):
                return try json(
                    IssuesResponse(
                        error: .init(code: "invalid", field: issues.first?.field, message: "blocking rules broken; nothing saved"), issues: issues),
                    status: .unprocessableContent)
            case .missingReason(let issues):
                return try json(
                    IssuesResponse(
                        error: .init(code: "reason_required", field: "reasons", message: "warnings need a written reason in reasons[rule id]"),
                        issues: issues), status: .unprocessableContent)
            }
        }
    }
}
