import SQLKit

/// Numbers given out in one series per office (or county) and year: letters (`letter_series`),
/// complaints (`complaint_series`). One statement raises the series' counter inside the
/// caller's transaction, so two numbers taken at once wait for each other instead of
/// colliding, and a transaction that fails gives its number back.
enum Series: String {
    case letters = "letter_series", complaints = "complaint_series"

    func next(region: String, year: Int, on db: any SQLDatabase) async throws -> Int {
        let row = try await db.raw(
            """
            INSERT INTO \(ident: rawValue) (region_code, year, last) VALUES (\(bind: region), \(bind: year), 1)
            ON CONFLICT (region_code, year) DO UPDATE SET last = \(ident: rawValue).last + 1 RETURNING last
            """
        ).first()
        guard let n = try row?.decode(column: "last", as: Int.self) else { throw StoreInvariant("\(rawValue) returned no row") }
        return n
    }
}
