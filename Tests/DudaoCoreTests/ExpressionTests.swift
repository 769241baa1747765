import Testing

@testable import DudaoCore

/// The arithmetic of validation rules (DHIS2 style): numbers, fields, prev.fields,
/// + − × ÷, parentheses, unary minus, abs/min/max.
@Suite("Expression parser")
struct ExpressionTests {
    func eval(_ text: String, _ vars: [String: Double] = [:], missing: Double? = nil) throws -> Double? {
        try Expression.parse(text).evaluate({ vars[$0] }, missing: missing)
    }

    @Test(arguments: [
        ("1 + 2 * 3", 7.0),  // × before +
        ("(1 + 2) * 3", 9.0),
        ("2 * 3 + 4 * 5", 26.0),
        ("10 - 4 - 3", 3.0),  // left-associative: (10 − 4) − 3, not 10 − (4 − 3) = 9
        ("24 / 4 / 2", 3.0),  // (24 / 4) / 2, not 24 / (4 / 2) = 12
        ("8 - 6 / 2", 5.0),
        ("((2))", 2.0),
        ("2 * (3 + (4 - 1)) / 4", 3.0),
        ("0.1 * 3", 0.30000000000000004),  // as IEEE double computes it (python: 0.1*3)
        ("  7  ", 7.0),
        ("1.5+2.25", 3.75),
    ])
    func precedenceAndParentheses(text: String, expected: Double) throws {
        #expect(try eval(text) == expected)
    }

    @Test(arguments: [
        ("-2", -2.0),
        ("-2 * 3", -6.0),
        ("2 * -3", -6.0),
        ("-(2 + 3)", -5.0),
        ("--4", 4.0),
        ("5 - -2", 7.0),
        ("-2 + 5", 3.0),  // unary binds tighter than +: (−2) + 5, not −(2 + 5)
    ])
    func unaryMinus(text: String, expected: Double) throws {
        #expect(try eval(text) == expected)
    }

    @Test(arguments: [
        ("abs(3 - 10)", 7.0),
        ("abs(-4.5)", 4.5),
        ("min(4, 2, 9)", 2.0),
        ("max(4, 2, 9)", 9.0),
        ("max(1, min(5, 3)) + abs(-2)", 5.0),
        ("min(7)", 7.0),
        ("2 * max(1, 3)", 6.0),
    ])
    func functions(text: String, expected: Double) throws {
        #expect(try eval(text) == expected)
    }

    @Test func variablesAndPreviousYear() throws {
        let vars: [String: Double] = ["students": 131, "prev.students": 100, "teaching_area_m2": 1500]
        #expect(try eval("abs(students - prev.students)", vars) == 31)
        #expect(try eval("teaching_area_m2 / students", vars) == 1500.0 / 131.0)
        #expect(try eval("0.3 * prev.students", vars) == 0.3 * 100)
        let e = try Expression.parse("abs(students - prev.students) + max(teachers, 1)")
        #expect(e.variables == ["students", "prev.students", "teachers"])
        #expect(try Expression.parse("prev.students") == .variable("prev.students"))
        #expect(try Expression.parse("students_2") == .variable("students_2"))
    }

    @Test func treeShape() throws {
        #expect(try Expression.parse("1 + 2 * 3") == .binary("+", .number(1), .binary("*", .number(2), .number(3))))
        #expect(try Expression.parse("(1 + 2) * 3") == .binary("*", .binary("+", .number(1), .number(2)), .number(3)))
        #expect(try Expression.parse("-x") == .unary("-", .variable("x")))
        #expect(try Expression.parse("min(a, 2)") == .call("min", [.variable("a"), .number(2)]))
    }

    @Test func missingValues() throws {
        // An unknown variable aborts the evaluation …
        #expect(try eval("students + 1") == nil)
        #expect(try eval("abs(students)") == nil)
        #expect(try eval("max(1, students)") == nil)
        // … unless a value for missing ones is given.
        #expect(try eval("students + 1", missing: 0) == 1)
        // Division by zero is no number.
        #expect(try eval("5 / 0") == nil)
        #expect(try eval("5 / (2 - 2)") == nil)
    }

    @Test(arguments: [
        "", "   ", "1 +", "(1 + 2", "1 + 2)", "1 2", "2 $ 3", "foo(1)", "min(1,", "min(1 2)",
        "*3", "1..2", "abs()", ",", "students prev",
    ])
    func syntaxErrorThrows(text: String) {
        #expect(throws: ExpressionError.self) {
            try Expression.parse(text)
        }
    }

    @Test func errorDescribesTheText() {
        do {
            _ = try Expression.parse("foo(1)")
            Issue.record("expected an error")
        } catch {
            #expect(error.text == "foo(1)")
            #expect(error.message.contains("foo"))
            #expect(error.description.hasPrefix("invalid expression 'foo(1)'"))
        }
    }
}
