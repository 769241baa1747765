import DudaoCore
import Hummingbird

/// The page language: `?lang=en|zh` (remembered in a cookie), else the cookie, else Chinese.
struct RequestLanguage {
    let language: Language
    /// Set when the query chose the language, to remember it.
    let cookie: Cookie?

    init(_ request: Request) {
        if let q = request.uri.queryParameters.get("lang") {
            language = Language(code: q)
            cookie = Cookie(name: "lang", value: language.rawValue, maxAge: 60 * 60 * 24 * 365, path: "/", httpOnly: true, sameSite: .lax)
        } else {
            language = Language(code: request.cookies["lang"]?.value)
            cookie = nil
        }
    }

    /// The same URL in the other language.
    static func switchLink(_ request: Request, to language: Language) -> String {
        var params = request.uri.queryParameters.map { (String($0.key), String($0.value)) }.filter { $0.0 != "lang" }
        params.append(("lang", language.rawValue))
        // Always a path of this site: "//host" or "/\\host" would leave it.
        let path = "/" + request.uri.path.drop { $0 == "/" || $0 == "\\" }
        return path + "?" + params.map { "\($0.0)=\(queryEncoded($0.1))" }.joined(separator: "&")
    }
}
