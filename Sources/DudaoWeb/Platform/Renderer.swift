import DudaoCore
import Foundation
import Hummingbird
import Mustache

/// Server-rendered HTML from the mustache templates in Resources/templates.
///
/// The interface strings (`{{t.key}}`) are written into the templates when they are loaded, one
/// set of templates per language: a page's words are the same on every visit, and looking each
/// one up through the template's context (three dynamic casts per model on the way up) was a
/// third of the mustache work of a page.
public struct Renderer: Sendable {
    let libraries: [Language: MustacheLibrary]

    public struct MissingTemplate: Error, CustomStringConvertible {
        public var name: String
        public var description: String { "template \(name).mustache is missing from the bundle" }
    }

    /// A `{{t.key}}` whose key strings.json lacks in a language (it would render nothing).
    public struct MissingString: Error, CustomStringConvertible {
        public var template: String
        public var key: String
        public var language: Language
        public var description: String {
            "\(template).mustache uses t.\(key), which strings.json lacks in \(language.rawValue) (or holds a mustache tag)"
        }
    }

    /// Loads the templates, writes the interface strings into them per language, and checks that
    /// every page template is there and every string it uses is known (else the server does not
    /// start).
    public static func load() async throws -> Renderer {
        let dir = Bundle.module.url(forResource: "templates", withExtension: nil)!
        var texts: [String: String] = [:]
        for file in try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil) where file.pathExtension == "mustache" {
            texts[file.deletingPathExtension().lastPathComponent] = try String(contentsOf: file, encoding: .utf8)
        }
        for template in PageTemplate.allCases where texts[template.rawValue] == nil {
            throw MissingTemplate(name: template.rawValue)
        }
        var libraries: [Language: MustacheLibrary] = [:]
        for language in Language.allCases {
            var library = MustacheLibrary()
            for (name, text) in texts {
                try library.register(try interfaceStrings(in: text, of: name, language), named: name)
            }
            libraries[language] = library
        }
        return Renderer(libraries: libraries)
    }

    /// `text` with every `{{t.key}}` replaced by the key's string in `language`, escaped as
    /// mustache escapes a variable (so the page is the same as when it was looked up).
    static func interfaceStrings(in text: String, of template: String, _ language: Language) throws -> String {
        let strings = Strings.shared.all(language)
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var rest = Substring(text)
        while let open = rest.range(of: "{{t.") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            let key = String(rest[open.upperBound..<close.lowerBound])
            // A string holding a tag would be read as one: refused as if missing.
            guard let value = strings[key], !value.contains("{{") else { throw MissingString(template: template, key: key, language: language) }
            out += HTMLText.mustacheEscaped(value)
            rest = rest[close.upperBound...]
        }
        out += rest
        return out
    }

    private func library(_ lang: String) -> MustacheLibrary {
        libraries[Language(code: lang)]!
    }

    /// A template's text, for a part of a page kept between requests.
    func fragment<Model>(_ template: PageTemplate, _ page: Page<Model>) -> String {
        library(page.layout.lang).render(page, withTemplate: template.rawValue)!
    }

    /// A part of a page drawn once and kept (`{{{…HTML}}}` in the page's template, on a line of
    /// its own): the fragment without its last line break, which the page's template has.
    func block<Model>(_ template: PageTemplate, _ page: Page<Model>) -> String {
        var html = fragment(template, page)
        if html.hasSuffix("\n") { html.removeLast() }
        return html
    }

    /// A part drawn from a model alone (no layout: the template uses no interface strings and
    /// no form token), without its last line break.
    func row<Model: Sendable>(_ template: PageTemplate, _ model: Model) -> String {
        var html = libraries[.zh]!.render(ModelFields.wrap(model) as Any, withTemplate: template.rawValue)!
        if html.hasSuffix("\n") { html.removeLast() }
        return html
    }

    func html<Model>(_ template: PageTemplate, _ page: Page<Model>, status: HTTPResponse.Status = .ok) -> Response {
        // Every template was found at start-up, so rendering cannot miss one.
        let body = library(page.layout.lang).render(page, withTemplate: template.rawValue)!
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

/// Text put into HTML outside a template (a chart drawn in code, a kept row's form token).
enum HTMLText {
    /// `&`, `<`, `>` and `"` as entities: safe in element text and double-quoted attributes.
    static func escaped(_ text: String) -> String {
        guard text.contains(where: { "&<>\"".contains($0) }) else { return text }
        return text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// As mustache escapes a `{{variable}}`: `escaped` and `'` as `&#39;`.
    static func mustacheEscaped(_ text: String) -> String {
        escaped(text).replacingOccurrences(of: "'", with: "&#39;")
    }
}
