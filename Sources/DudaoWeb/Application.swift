import DudaoApp
import DudaoCore
import DudaoStore
import Foundation
import Hummingbird
import Logging

/// Everything a request handler needs.
public struct AppState: Sendable {
    public let database: Database
    /// The use cases: every write of a handler goes through them (one transaction each).
    public let services: Services
    public let renderer: Renderer
    let throttle: LoginThrottle
    let passwordChecks: PasswordCheckGate
    /// Addresses of reverse proxies whose `X-Forwarded-For` is believed (exact IPs).
    let trustedProxies: Set<String>
    let evaluationResponses = EvaluationResponse.Cache(limit: 2000)
    let countyDrawings = CountyDrawing.Cache(limit: 500)
    let regionDrawings = RegionDrawing.Cache(limit: 200)
    let schoolDrawings = SchoolDrawing.Cache(limit: 20_000)
    /// The years with returns under a region (`RegistryPages.region`).
    let regionYears = VersionedCache<String, [Int]>(limit: 5000)
    /// Bulletins per region, period, language and data version, kept per supervision version.
    let bulletins = VersionedCache<BulletinPages.Key, Bulletin>(limit: 2000)
    let bulletinTables = VersionedCache<BulletinPages.Key, String>(limit: 2000)
    /// The supervision list's region-wide part, kept per supervision version (`SupervisionPages.Tallies`).
    let supervisionTallies = VersionedCache<SupervisionPages.Tallies.Key, SupervisionPages.Tallies>(limit: 2000)
    /// A page of the list's cases, kept per supervision version (`SupervisionPages.casePage`).
    let supervisionCases = VersionedCache<SupervisionPages.CasePage.Key, SupervisionPages.CasePage>(limit: 2000)
    /// The list's rows as drawn, split where the form token goes, kept per what each shows
    /// (`SupervisionPages.rows`; about 1.5 KB a row).
    let supervisionRows = VersionedCache<SupervisionPage.CaseRow.Key, [String]>(limit: 20_000)
    /// Change-log rows as drawn, per entry (entries never change; `AuditPages.rows`; a row is
    /// 0.2–2 KB, so at most about 40 MB).
    let auditRows = VersionedCache<AuditEntry, String>(limit: 20_000)

    public init(services: Services, renderer: Renderer, trustedProxies: Set<String> = []) {
        self.database = services.database
        self.services = services
        self.renderer = renderer
        self.throttle = LoginThrottle()
        self.passwordChecks = PasswordCheckGate()
        self.trustedProxies = trustedProxies
    }

    /// Today where the offices are, from the application's clock.
    var today: String { services.clock.moment.today }
}

public typealias AppContext = AppRequestContext

/// The routes of the product: pages, JSON API, static files, health check. Everything but
/// the health check, static files and the login form needs a signed-in user, and every
/// route that takes an id checks it against the user's region subtree or school.
public func buildRouter(_ state: AppState) -> Router<AppContext> {
    let router = Router(context: AppContext.self)
    router.add(middleware: SecurityHeaders())
    router.add(middleware: ConditionalGet())
    router.add(middleware: ErrorMiddleware(state: state))
    router.get("healthz") { _, _ in "ok" }
    StaticFiles.register(on: router)
    // Who is calling (cookie or token), for every route below; public pages see nil.
    let identified = router.group().add(middleware: IdentityMiddleware(accounts: state.services.accounts))
    // Signed-in groups: their context carries a non-optional user; nobody signed in is sent
    // to the login page (pages) or answered 401 (API) by ErrorMiddleware.
    let signedIn = identified.group(context: SignedInContext.self)
    let api = identified.group("api/v1", context: SignedInContext.self).add(middleware: APICSRF())
    // Pages, one feature folder each (Features/<Feature>/); the API registers per feature too.
    AuthPages(state: state).register(public: identified, signedIn: signedIn)
    RegistryPages(state: state).register(on: signedIn)
    AuditPages(state: state).register(on: signedIn)
    RoundPages(state: state).register(on: signedIn)
    ReturnForm(state: state).register(on: signedIn)
    EvaluationPages(state: state).register(public: identified, signedIn: signedIn)
    SupervisionPages(state: state).register(on: signedIn)
    VisitPages(state: state).register(on: signedIn)
    BulletinPages(state: state).register(on: signedIn)
    DutyPages(state: state).register(on: signedIn)
    SheetPages(state: state).register(on: signedIn)
    ReportPages(state: state).register(on: signedIn)
    AssessmentPages(state: state).register(on: signedIn)
    CountyFactsPages(state: state).register(on: signedIn)
    InspectionPages(state: state).register(public: identified, signedIn: signedIn)
    SurveyPages(state: state).register(public: identified, signedIn: signedIn)
    DocumentPages(state: state).register(public: identified, signedIn: signedIn)
    KeyTaskPages(state: state).register(on: signedIn)
    ComplaintPages(state: state).register(on: signedIn)
    APIRoutes(state: state).register(on: api)
    return router
}

/// The web application on `host:port`, over an opened database.
public func buildApplication(
    database: Database, host: String, port: Int, trustedProxies: Set<String> = [], logger: Logger
) async throws
    -> some ApplicationProtocol
{
    let state = AppState(services: Services(database: database), renderer: try await Renderer.load(), trustedProxies: trustedProxies)
    return Application(
        router: buildRouter(state),
        configuration: .init(address: .hostname(host, port: port), serverName: "Dudao"),
        logger: logger)
}

enum StaticFiles {
    static func load(_ name: String) -> String {
        let url = Bundle.module.url(forResource: "static", withExtension: nil)!.appendingPathComponent(name)
        return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }

    static let files: [String: (type: String, body: String)] = [
        "app.css": ("text/css; charset=utf-8", load("app.css")),
        "visit.js": ("text/javascript; charset=utf-8", load("visit.js")),
        "print.js": ("text/javascript; charset=utf-8", load("print.js")),
    ]

    static func register(on router: some RouterMethods<AppContext>) {
        router.get("static/:name") { _, context in
            guard let file = files[try context.parameters.text("name")] else { throw AppError.notFound("static file") }
            return Response(
                status: .ok, headers: [.contentType: file.type, .cacheControl: "public, max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: file.body)))
        }
    }
}
