import Testing

@testable import YiyeStore

@Suite("SQL statement splitter")
struct SQLStatementSplitterTests {
    @Test("splits at top-level semicolons and trims")
    func plain() {
        #expect(
            SQLStatementSplitter.split("CREATE TABLE a (x int);\n  INSERT INTO a VALUES (1) ;SELECT 1") == [
                "CREATE TABLE a (x int)", "INSERT INTO a VALUES (1)", "SELECT 1",
            ])
    }

    @Test("a semicolon inside a string, with doubled quotes, does not split")
    func singleQuotes() {
        #expect(
            SQLStatementSplitter.split("INSERT INTO t VALUES ('a;b', 'it''s; fine'); SELECT 2") == [
                "INSERT INTO t VALUES ('a;b', 'it''s; fine')", "SELECT 2",
            ])
    }

    @Test("E'' strings honour backslash escapes")
    func escapeStrings() {
        #expect(SQLStatementSplitter.split(#"SELECT E'a\';b'; SELECT 3"#) == [#"SELECT E'a\';b'"#, "SELECT 3"])
        // A plain string ending in a backslash is not an escape.
        #expect(SQLStatementSplitter.split(#"SELECT 'C:\'; SELECT 4"#) == [#"SELECT 'C:\'"#, "SELECT 4"])
    }

    @Test("quoted identifiers may contain semicolons")
    func quotedIdentifiers() {
        #expect(SQLStatementSplitter.split(#"CREATE TABLE "a;b" (x int); SELECT 1"#) == [#"CREATE TABLE "a;b" (x int)"#, "SELECT 1"])
    }

    @Test("line and nested block comments hide semicolons; comment-only statements are dropped")
    func comments() {
        let script = """
            -- header; not a statement
            SELECT 1; -- trailing; comment
            /* outer; /* inner; */ still comment; */ SELECT 2;
            /* only a comment; */
            """
        #expect(
            SQLStatementSplitter.split(script) == [
                "-- header; not a statement\nSELECT 1", "-- trailing; comment\n/* outer; /* inner; */ still comment; */ SELECT 2",
            ])
    }

    @Test("dollar-quoted bodies, tagged or not, keep their semicolons")
    func dollarQuotes() {
        let script = """
            CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'no; never'; END; $$ LANGUAGE plpgsql;
            CREATE FUNCTION g() RETURNS int AS $body$ SELECT 1; $inner$ x; $inner$ $body$ LANGUAGE sql;
            SELECT 3
            """
        let statements = SQLStatementSplitter.split(script)
        #expect(statements.count == 3)
        #expect(statements[0].hasSuffix("$$ LANGUAGE plpgsql"))
        #expect(statements[1].hasSuffix("$body$ LANGUAGE sql"))
        #expect(statements[2] == "SELECT 3")
    }

    @Test("positional parameters and identifiers with $ are not dollar quotes")
    func notDollarQuotes() {
        #expect(
            SQLStatementSplitter.split("PREPARE p AS SELECT $1; SELECT a$b$ FROM t; SELECT 5") == [
                "PREPARE p AS SELECT $1", "SELECT a$b$ FROM t", "SELECT 5",
            ])
    }

    @Test("Chinese text in strings and comments passes through intact")
    func unicode() {
        #expect(
            SQLStatementSplitter.split("COMMENT ON TABLE t IS '部门；监管'; -- 注释;\nSELECT '一业一查'") == [
                "COMMENT ON TABLE t IS '部门；监管'", "-- 注释;\nSELECT '一业一查'",
            ])
    }

    @Test("an unterminated string swallows the rest instead of splitting inside it")
    func unterminated() {
        #expect(SQLStatementSplitter.split("SELECT 'oops; SELECT 2") == ["SELECT 'oops; SELECT 2"])
    }
}
