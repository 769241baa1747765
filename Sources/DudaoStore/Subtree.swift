import SQLKit

/// Rows of a region's subtree, by a column holding a region or county code. Written as a key
/// range, `code <= column < code + ":"` (":" sorts after every digit), which an index on the
/// column answers on both databases; a `LIKE 'code%'` is answered by no index on SQLite (its LIKE
/// ignores case) nor on PostgreSQL outside the "C" collation, and read whole tables at national
/// scale. Codes compare byte by byte: SQLite's BINARY collation, and on PostgreSQL the "C"
/// collation migration 19 gives every code column (a database created with a zh_CN or ICU locale
/// would otherwise not sort "41:" after "4101"). A county (six digits) has no subtree: equality.
/// The nation (`""`) adds no condition.
extension SQLPredicateBuilder {
    @discardableResult
    public func `where`(_ column: any SQLExpression, under region: String) -> Self {
        if region.isEmpty { return self }
        if region.count >= 6 { return self.where(column, .equal, SQLBind(region)) }
        return self.where(column, .greaterThanOrEqual, SQLBind(region)).where(column, .lessThan, SQLBind(region + ":"))
    }

    @discardableResult
    public func `where`(_ column: String, under region: String) -> Self { self.where(SQLColumn(column), under: region) }
}
