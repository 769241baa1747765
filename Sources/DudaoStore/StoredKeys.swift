import SQLKit

extension SQLDatabase {
    /// Which of `keys` are stored in the text key `column` of `table`, asked 1,000 at a time.
    func storedKeys(_ keys: [String], in table: String, column: String) async throws -> Set<String> {
        var found: Set<String> = []
        for chunk in keys.chunked(1_000) {
            for row in try await select().column(column).from(table).where(column, .in, Array(chunk)).all() {
                found.insert(try row.decode(column: column, as: String.self))
            }
        }
        return found
    }
}
