import DudaoCore
import Foundation
import SQLKit

/// Versioned schema changes, applied in order and recorded in `schema_migrations`.
/// Written with SQLKit builders so one definition serves SQLite and PostgreSQL.
public enum Migrations {
    struct Migration: Sendable {
        var version: Int
        var name: String
        var apply: @Sendable (any SQLDatabase) async throws -> Void
    }

    static let double = SQLDataType.custom(SQLRaw("DOUBLE PRECISION"))
    static let boolean = SQLDataType.custom(SQLRaw("BOOLEAN"))

    static let all: [Migration] = [
        Migration(version: 1, name: "registry and returns") { db in
            try await db.create(table: "regions")
                .column("code", type: .text, .primaryKey(autoIncrement: false))
                .column("name", type: .text, .notNull)
                .column("level", type: .text, .notNull)
                .column("parent_code", type: .text)
                .run()
            try await db.create(index: "regions_parent").on("regions").column("parent_code").run()
            try await db.create(table: "schools")
                .column("code", type: .text, .primaryKey(autoIncrement: false))
                .column("name", type: .text, .notNull)
                .column("county_code", type: .text, .notNull, .references("regions", "code"))
                .column("school_type", type: .text, .notNull)
                .column("ownership", type: .text, .notNull)
                .column("locality", type: .text, .notNull)
                .column("boarding", type: boolean, .notNull)
                .column("updated_at", type: .text, .notNull)
                .run()
            try await db.create(index: "schools_county").on("schools").column("county_code").run()
            var returns = db.create(table: "stage_returns")
                .column("school_code", type: .text, .notNull, .references("schools", "code"))
                .column("year", type: .int, .notNull)
                // "all" marks a whole-school row of shared resources.
                .column("stage", type: .text, .notNull)
            for field in ReturnColumnsSQL.fields.prefix(ReturnColumnsSQL.firstSchemaFieldCount) {
                returns = returns.column(field.rawValue, type: double)
            }
            try await returns
                .column("version", type: .int, .notNull)
                .column("updated_at", type: .text, .notNull)
                .column("updated_by", type: .text, .notNull)
                .primaryKey("school_code", "year", "stage")
                .run()
            try await db.create(index: "stage_returns_year").on("stage_returns").column("year").run()
            try await db.create(table: "import_batches")
                .column("id", type: .text, .primaryKey(autoIncrement: false))
                .column("source", type: .text, .notNull)
                .column("rows", type: .int, .notNull)
                .column("inserted", type: .int, .notNull)
                .column("updated", type: .int, .notNull)
                .column("unchanged", type: .int, .notNull)
                .column("warnings", type: .int, .notNull)
                .column("imported_at", type: .text, .notNull)
                .column("imported_by", type: .text, .notNull)
                .run()
            // Every change: who, when, which object, old value → new value. Never updated or deleted.
            try await db.create(table: "audit_log")
                .column("id", type: .text, .primaryKey(autoIncrement: false))
                .column("at", type: .text, .notNull)
                .column("actor", type: .text, .notNull)
                .column("action", type: .text, .notNull)
                .column("object_type", type: .text, .notNull)
                .column("object_id", type: .text, .notNull)
                .column("old_value", type: .text)
                .column("new_value", type: .text)
                .run()
            try await db.create(index: "audit_object").on("audit_log").column("object_type").column("object_id").run()
        },
        Migration(version: 2, name: "users, sessions, api tokens, audit region") { db in
            try await db.create(table: "users")
                .column("id", type: .text, .primaryKey(autoIncrement: false))
                .column("username", type: .text, .notNull, .unique)
                .column("display_name", type: .text, .notNull)
                .column("role", type: .text, .notNull)
                .column("region_code", type: .text, .notNull)
                .column("school_code", type: .text)
                .column("password_hash", type: .text, .notNull)
                .column("disabled", type: boolean, .notNull)
                .column("created_at", type: .text, .notNull)
                .run()
            // Only hashes of session and API tokens are stored: a leaked table opens no session.
            try await db.create(table: "sessions")
                .column("token_hash", type: .text, .primaryKey(autoIncrement: false))
                .column("user_id", type: .text, .notNull, .references("users", "id"))
                .column("csrf_token", type: .text, .notNull)
                .column("created_at", type: .text, .notNull)
                .column("expires_at", type: .text, .notNull)
                .run()
            try await db.create(table: "api_tokens")
                .column("token_hash", type: .text, .primaryKey(autoIncrement: false))
                .column("user_id", type: .text, .notNull, .references("users", "id"))
                .column("name", type: .text, .notNull)
                .column("created_at", type: .text, .notNull)
                .run()
            // The region an audited object belongs to, so officers can search their subtree.
            try await db.alter(table: "audit_log").column("region_code", type: .text).run()
            try await db.create(index: "audit_region").on("audit_log").column("region_code").run()
        },
        Migration(version: 3, name: "reporting rounds and review chain") { db in
            try await db.create(table: "rounds")
                .column("id", type: .text, .primaryKey(autoIncrement: false))
                .column("year", type: .int, .notNull)
                .column("region_code", type: .text, .notNull)
                .column("title", type: .text, .notNull)
                .column("opened_by", type: .text, .notNull)
                .column("opened_at", type: .text, .notNull)
                .run()
            try await db.create(table: "round_schools")
                .column("round_id", type: .text, .notNull, .references("rounds", "id"))
                .column("school_code", type: .text, .notNull, .references("schools", "code"))
                .column("county_code", type: .text, .notNull)
                .column("state", type: .text, .notNull)
                .column("updated_at", type: .text, .notNull)
                .column("updated_by", type: .text, .notNull)
                .column("comment", type: .text)
                .primaryKey("round_id", "school_code")
                .run()
            try await db.create(index: "round_schools_school").on("round_schools").column("school_code").run()
            try await db.create(table: "round_approvals")
                .column("round_id", type: .text, .notNull, .references("rounds", "id"))
                .column("region_code", type: .text, .notNull)
                .column("approved_by", type: .text, .notNull)
                .column("approved_at", type: .text, .notNull)
                .primaryKey("round_id", "region_code")
                .run()
        },
        Migration(version: 4, name: "evaluation chain") { db in
            try await db.create(table: "evaluation_cases")
                .column("id", type: .text, .primaryKey(autoIncrement: false))
                .column("region_code", type: .text, .notNull)
                .column("year", type: .int, .notNull)
                .column("programme_id", type: .text, .notNull)
                .column("step", type: .text, .notNull)
                .column("notice_ends_on", type: .text)
                .column("version", type: .int, .notNull)
                .column("created_by", type: .text, .notNull)
                .column("created_at", type: .text, .notNull)
                .run()
            try await db.create(index: "evaluation_cases_region").on("evaluation_cases").column("region_code").run()
            // Each step keeps the result it judged, as computed then (never updated).
            try await db.create(table: "evaluation_steps")
                .column("id", type: .text, .primaryKey(autoIncrement: false))
                .column("case_id", type: .text, .notNull, .references("evaluation_cases", "id"))
                .column("seq", type: .int, .notNull)
                .column("step", type: .text, .notNull)
                .column("action", type: .text, .notNull)
                .column("actor", type: .text, .notNull)
                .column("at", type: .text, .notNull)
                .column("comment", type: .text)
                .column("passed", type: boolean, .notNull)
                .column("snapshot", type: .text, .notNull)
                // The county's return rows as they were when the step judged them.
                .column("inputs", type: .text, .notNull)
                .run()
        },
        Migration(version: 5, name: "audit log is append-only") { db in
            // The application only inserts audit rows; the database refuses anything else.
            if db.dialect.name == "sqlite" {
                for op in ["UPDATE", "DELETE"] {
                    try await db.raw(
                        """
                        CREATE TRIGGER audit_log_no_\(unsafeRaw: op.lowercased()) BEFORE \(unsafeRaw: op) ON audit_log
                        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END
                        """
                    ).run()
                }
            } else {
                try await db.raw(
                    """
                    CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
                    BEGIN RAISE EXCEPTION 'audit_log is append-only'; END; $$ LANGUAGE plpgsql
                    """
                ).run()
                try await db.raw(
                    """
                    CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
                    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()
                    """
                ).run()
            }
        },
        Migration(version: 6, name: "inspectors, visits, findings, rectification, draws, attachments") { db in
            try await db.create(table: "inspectors")
                .column("id", type: .text, .primaryKey(autoIncrement: false))
                .column("name", type: .text, .notNull)
                .column("phone", type: .text, .notNull)
                .column("kind", type: .text, .notNull)
                .column("region_code", type: .text, .notNull)
                .column("zone", type: .text)
                .column("username", type: .text)
                .run()
            // 挂牌督导: one responsible inspector per school.
            try await db.create(table: "responsibilities")
                .column("school_code", type: .text, .primaryKey(autoIncrement: false), .references("schools", "code"))
                .column("inspector_id", type: .text, .notNull, .references("inspectors", "id"))
                .column("since", type: .text, .notNull)
                .run()
            try await db.create(table: "visits")
                .column("id", type: .text, .primaryKey(autoIncrement: false))
                .column("school_code", type: .text, .notNull, .references("schools", "code"))
                .column("county_code", type: .text, .notNull)
                .column("inspector_id", type: .text, .notNull, .references("inspectors", "id"))
                .column("visit_date", type: .text, .notNull)
                .column("kind", type: .text, .notNull)
                .column("checklist_id", type: .text, .notNull)
                .column("answers", type: .text, .notNull)
                .column("people_met", type: .text, .notNull)
                .column("notes", type: .text, .notNull)
                .column("location", type: .text)
                .column("status", type: .text, .notNull)
                .column("version", type: .int, .notNull)
                .column("updated_at", type: .text, .notNull)
                .run()
            try await db.create(index: "visits_school_date").on("visits").column("school_code").column("visit_date").run()
            try await db.create(table: "rectifications")
                .column("id", type: .text, .primaryKey(autoIncrement: false))
                .column("visit_id", type: .text)
                .column("school_code", type: .text, .notNull, .references("schools", "code"))
                .column("county_code", type: .text, .notNull)
                .column("category", type: .text, .notNull)
                .column("description", type: .text, .notNull)
                .column("assigned_unit", type: .text, .notNull)
                .column("responsible_person", type: .text, .notNull)
                .column("deadline", type: .text, .notNull)
                .column("state", type: .text, .notNull)
                .column("opened_on", type: .text, .notNull)
                .column("closed_on", type: .text)
                .column("reopen_count", type: .int, .notNull)
                .column("version", type: .int, .notNull)
                .run()
            try await db.create(index: "rectifications_county").on("rectifications").column("county_code").run()
            try await db.create(table: "draws")
                .column("id", type: .text, .primaryKey(autoIncrement: false))
                .column("region_code", type: .text, .notNull)
                .column("title", type: .text, .notNull)
                .column("seed", type: .text, .notNull)
                .column("result", type: .text, .notNull)
                .column("published", type: boolean, .notNull)
                .column("created_by", type: .text, .notNull)
                .column("created_at", type: .text, .notNull)
                .run()
            try await db.create(table: "attachments")
                .column("id", type: .text, .primaryKey(autoIncrement: false))
                .column("object_type", type: .text, .notNull)
                .column("object_id", type: .text, .notNull)
                .column("filename", type: .text, .notNull)
                .column("content_type", type: .text, .notNull)
                .column("size", type: .int, .notNull)
                .column("data", type: .blob, .notNull)
                .column("uploaded_by", type: .text, .notNull)
                .column("uploaded_at", type: .text, .notNull)
                .run()
            try await db.create(index: "attachments_object").on("attachments").column("object_type").column("object_id").run()
        },
        Migration(version: 7, name: "token expiry and revocation; upload quotas by user") { db in
            try await db.alter(table: "api_tokens").column("expires_at", type: .text).run()
            try await db.alter(table: "api_tokens").column("revoked_at", type: .text).run()
            try await db.create(index: "attachments_uploader").on("attachments").column("uploaded_by").column("uploaded_at").run()
        },
        Migration(version: 8, name: "government-duty facts: more return columns, county facts") { db in
            for field in ReturnColumnsSQL.fields[ReturnColumnsSQL.firstSchemaFieldCount..<ReturnColumnsSQL.dutySchemaFieldCount] {
                try await db.alter(table: "stage_returns").column(field.rawValue, type: double).run()
            }
            var facts = db.create(table: "county_facts")
                .column("county_code", type: .text, .notNull, .references("regions", "code"))
                .column("year", type: .int, .notNull)
            for fact in CountyFact.allCases {
                facts = facts.column(fact.rawValue, type: double)
            }
            try await facts
                .column("version", type: .int, .notNull)
                .column("updated_at", type: .text, .notNull)
                .column("updated_by", type: .text, .notNull)
                .primaryKey("county_code", "year")
                .run()
        },
        Migration(version: 9, name: "score sheet entries, self-evaluation report texts") { db in
            try await db.create(table: "score_entries")
                .column("sheet_id", type: .text, .notNull)
                .column("region_code", type: .text, .notNull, .references("regions", "code"))
                .column("year", type: .int, .notNull)
                .column("item_id", type: .text, .notNull)
                .column("score", type: double)
                // 1 met, 0 not met, null not judged (pass/fail sheets).
                .column("met", type: .int)
                .column("vetoed", type: .int, .notNull)
                .column("comment", type: .text, .notNull)
                .column("evidence", type: .text, .notNull)
                .column("version", type: .int, .notNull)
                .column("updated_at", type: .text, .notNull)
                .column("updated_by", type: .text, .notNull)
                .primaryKey("sheet_id", "region_code", "year", "item_id")
                .run()
            try await db.create(table: "report_texts")
                .column("region_code", type: .text, .notNull, .references("regions", "code"))
                .column("year", type: .int, .notNull)
                .column("programme_id", type: .text, .notNull)
                .column("measures", type: .text, .notNull)
                .column("version", type: .int, .notNull)
                .column("updated_at", type: .text, .notNull)
                .column("updated_by", type: .text, .notNull)
                .primaryKey("region_code", "year", "programme_id")
                .run()
        },
        Migration(version: 10, name: "annual target assessments") { db in
            try await db.create(table: "assessments")
                .column("id", type: .text, .primaryKey(autoIncrement: false))
                .column("office_region", type: .text, .notNull)
                .column("sheet_id", type: .text, .notNull)
                .column("year", type: .int, .notNull)
                .column("period_from", type: .text, .notNull)
                .column("period_to", type: .text, .notNull)
                .column("title", type: .text, .notNull)
                .column("created_by", type: .text, .notNull)
                .column("created_at", type: .text, .notNull)
                .run()
            try await db.create(index: "assessments_sheet_year").on("assessments").column("sheet_id").column("year").column("office_region").unique()
                .run()
        },
        Migration(version: 11, name: "largest class per return row") { db in
            try await db.alter(table: "stage_returns").column(ReturnField.largestClass.rawValue, type: double).run()
        },
        Migration(version: 12, name: "data versions and stored evaluation results") { db in
            // One counter a county, raised in every transaction that changes what its evaluation
            // reads (returns, schools, county facts, scores, report text).
            try await db.create(table: "data_versions")
                .column("county_code", type: .text, .primaryKey(autoIncrement: false))
                .column("version", type: .int, .notNull)
                .column("changed_at", type: .text, .notNull)
                .run()
            try await db.create(table: "evaluation_results")
                .column("region_code", type: .text, .notNull)
                .column("year", type: .int, .notNull)
                .column("programme_id", type: .text, .notNull)
                .column("language", type: .text, .notNull)
                .column("data_version", type: .int, .notNull)
                .column("code_version", type: .text, .notNull)
                .column("computed_at", type: .text, .notNull)
                .column("body", type: .text, .notNull)
                .primaryKey("region_code", "year", "programme_id", "language")
                .run()
        },
        Migration(version: 13, name: "anonymous survey campaigns: links, responses") { db in
            try await db.create(table: "survey_campaigns")
                .column("id", type: .text, .primaryKey(autoIncrement: false))
                .column("survey_id", type: .text, .notNull)
                .column("region_code", type: .text, .notNull, .references("regions", "code"))
                .column("year", type: .int, .notNull)
                .column("title", type: .text, .notNull)
                .column("closes_on", type: .text, .notNull)
                .column("closed_at", type: .text)
                .column("created_by", type: .text, .notNull)
                .column("created_at", type: .text, .notNull)
                .run()
            try await db.create(index: "survey_campaigns_region").on("survey_campaigns").column("region_code").column("year").run()
            // Links: who may answer (one school and group each) and whether they have. No time,
            // no address, no response id: nothing here says which response a link gave.
            try await db.create(table: "survey_links")
                .column("token", type: .text, .primaryKey(autoIncrement: false))
                .column("campaign_id", type: .text, .notNull, .references("survey_campaigns", "id"))
                .column("school_code", type: .text, .notNull)
                .column("respondent_group", type: .text, .notNull)
                .column("used", type: .int, .notNull)
                .column("draft", type: .text)
                .run()
            try await db.create(index: "survey_links_campaign").on("survey_links").column("campaign_id").column("school_code").run()
            // Responses: the coarse keys of reporting and the answers; the day, not the time.
            try await db.create(table: "survey_responses")
                .column("id", type: .text, .primaryKey(autoIncrement: false))
                .column("campaign_id", type: .text, .notNull, .references("survey_campaigns", "id"))
                .column("school_code", type: .text, .notNull)
                .column("respondent_group", type: .text, .notNull)
                .column("submitted_on", type: .text, .notNull)
                .column("answers", type: .text, .notNull)
                .run()
            try await db.create(index: "survey_responses_campaign").on("survey_responses").column("campaign_id").run()
        },
        Migration(version: 14, name: "document library and evidence store, searchable in Chinese") { db in
            // Each distinct content once, by its SHA-256.
            try await db.create(table: "document_blobs")
                .column("checksum", type: .text, .primaryKey(autoIncrement: false))
                .column("size", type: .int, .notNull)
                .column("data", type: .blob, .notNull)
                .run()
            try await db.create(table: "documents")
                .column("id", type: .text, .primaryKey(autoIncrement: false))
                .column("title", type: .text, .notNull)
                .column("kind", type: .text, .notNull)
                .column("region_code", type: .text, .notNull)
                .column("year", type: .int)
                .column("tags", type: .text, .notNull)
                .column("is_public", type: .int, .notNull)
                .column("series_id", type: .text, .notNull)
                .column("version", type: .int, .notNull)
                // 1 on the newest version of its series (what searches list).
                .column("is_latest", type: .int, .notNull)
                // SQLite: the row's number in the trigram index (an explicit column: VACUUM may renumber implicit rowids).
                .column("seq", type: .int, .unique)
                .column("checksum", type: .text, .notNull, .references("document_blobs", "checksum"))
                .column("filename", type: .text, .notNull)
                .column("content_type", type: .text, .notNull)
                .column("size", type: .int, .notNull)
                .column("text_status", type: .text, .notNull)
                .column("search_title", type: .text, .notNull)
                .column("uploaded_by", type: .text, .notNull)
                .column("uploaded_at", type: .text, .notNull)
                // The long texts last: a search that sorts by title and date reads no overflow pages.
                .column("body_text", type: .text, .notNull)
                // Lower case title, tags and text: what a search compares with.
                .column("search_text", type: .text, .notNull)
                .run()
            try await db.create(index: "documents_region").on("documents").column("region_code").run()
            try await db.create(index: "documents_series").on("documents").column("series_id").column("version").unique().run()
            try await db.create(index: "documents_checksum").on("documents").column("checksum").run()
            try await db.create(table: "evidence_links")
                .column("document_id", type: .text, .notNull, .references("documents", "id"))
                .column("object_type", type: .text, .notNull)
                .column("object_id", type: .text, .notNull)
                .column("linked_by", type: .text, .notNull)
                .column("linked_at", type: .text, .notNull)
                .primaryKey("document_id", "object_type", "object_id")
                .run()
            try await db.create(index: "evidence_links_object").on("evidence_links").column("object_type").column("object_id").run()
            // Substring search: SQLite's FTS5 trigram index, PostgreSQL's pg_trgm (both answer
            // terms of three characters or more; shorter ones are scanned, DocumentRepository.search).
            if db.dialect.name == "sqlite" {
                // External content: the index refers to documents.seq and keeps no second copy of the text.
                try await db.raw(
                    "CREATE VIRTUAL TABLE documents_fts USING fts5(search_text, content = 'documents', content_rowid = 'seq', tokenize = 'trigram')"
                ).run()
            } else {
                // The extension is the database's, not the schema's: kept in public (or wherever
                // it already is), its operator class named with its schema.
                try await db.raw("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public").run()
                guard
                    let schema = try await db.raw(
                        "SELECT n.nspname AS s FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'"
                    ).first()?.decode(column: "s", as: String.self)
                else { throw StoreInvariant("pg_trgm is not installed") }
                let quoted = "\"" + schema.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                try await db.raw("CREATE INDEX documents_trgm ON documents USING gin (search_text \(unsafeRaw: quoted).gin_trgm_ops)").run()
            }
        },
        Migration(version: 15, name: "key tasks, progress reports, escalation letters and accountability records") { db in
            try await db.create(table: "key_targets")
                .column("id", type: .text, .primaryKey(autoIncrement: false))
                .column("region_code", type: .text, .notNull)
                .column("year", type: .int, .notNull)
                .column("title", type: .text, .notNull)
                .column("description", type: .text, .notNull)
                .column("created_by", type: .text, .notNull)
                .column("created_at", type: .text, .notNull)
                .run()
            try await db.create(index: "key_targets_region").on("key_targets").column("region_code").column("year").run()
            try await db.create(table: "key_tasks")
                .column("id", type: .text, .primaryKey(autoIncrement: false))
                .column("target_id", type: .text, .notNull, .references("key_targets", "id"))
                .column("parent_id", type: .text, .references("key_tasks", "id"))
                .column("number", type: .text, .notNull)
                .column("title", type: .text, .notNull)
                .column("region_code", type: .text, .notNull)
                .column("unit", type: .text, .notNull)
                .column("first_responsible", type: .text, .notNull)
                .column("direct_responsible", type: .text, .notNull)
                .column("deadline", type: .text, .notNull)
                .column("weight", type: double)
                // checkbox, number, computed; NULL on a task measured by its children.
                .column("measure", type: .text)
                .column("measure_target", type: double)
                .column("measure_baseline", type: double)
                .column("measure_unit", type: .text)
                .column("metric", type: .text)
                .column("cadence", type: .text, .notNull)
                .column("position", type: .int, .notNull)
                .column("created_at", type: .text, .notNull)
                .run()
            try await db.create(index: "key_tasks_number").on("key_tasks").column("target_id").column("number").unique().run()
            try await db.create(index: "key_tasks_region").on("key_tasks").column("region_code").run()
            try await db.create(table: "key_task_reports")
                .column("id", type: .text, .primaryKey(autoIncrement: false))
                .column("task_id", type: .text, .notNull, .references("key_tasks", "id"))
                .column("day", type: .text, .notNull)
                .column("value", type: double)
                .column("done", type: .int)
                .column("narrative", type: .text, .notNull)
                .column("status", type: .text, .notNull)
                .column("reported_by", type: .text, .notNull)
                .column("reported_at", type: .text, .notNull)
                .column("reviewed_by", type: .text)
                .column("reviewed_at", type: .text)
                .column("review_note", type: .text)
                .run()
            try await db.create(index: "key_task_reports_task").on("key_task_reports").column("task_id").column("day").run()
            try await db.create(table: "escalation_letters")
                .column("id", type: .text, .primaryKey(autoIncrement: false))
                .column("region_code", type: .text, .notNull)
                .column("year", type: .int, .notNull)
                .column("seq", type: .int, .notNull)
                .column("number", type: .text, .notNull)
                .column("kind", type: .text, .notNull)
                .column("trigger", type: .text, .notNull)
                .column("object_id", type: .text, .notNull)
                .column("unit", type: .text, .notNull)
                .column("unit_region", type: .text, .notNull)
                .column("title", type: .text, .notNull)
                .column("body", type: .text, .notNull)
                .column("reply_due", type: .text, .notNull)
                .column("issued_by", type: .text, .notNull)
                .column("issued_on", type: .text, .notNull)
                .column("issued_at", type: .text, .notNull)
                .column("reply", type: .text)
                .column("replied_by", type: .text)
                .column("replied_on", type: .text)
                .run()
            // One series per office and year: two letters issued at once cannot share a number.
            try await db.create(index: "escalation_letters_series").on("escalation_letters").column("region_code").column("year").column("seq")
                .unique().run()
            // The last number of each office's series of a year, raised in the issuing transaction.
            try await db.create(table: "letter_series")
                .column("region_code", type: .text, .notNull)
                .column("year", type: .int, .notNull)
                .column("last", type: .int, .notNull)
                .primaryKey("region_code", "year")
                .run()
            try await db.create(index: "escalation_letters_unit").on("escalation_letters").column("unit_region").run()
            try await db.create(index: "escalation_letters_object").on("escalation_letters").column("trigger").column("object_id").run()
            try await db.create(table: "accountability_records")
                .column("id", type: .text, .primaryKey(autoIncrement: false))
                .column("region_code", type: .text, .notNull)
                .column("kind", type: .text, .notNull)
                .column("person", type: .text, .notNull)
                .column("position", type: .text, .notNull)
                .column("unit", type: .text, .notNull)
                .column("unit_region", type: .text, .notNull)
                .column("day", type: .text, .notNull)
                .column("form", type: .text, .notNull)
                .column("facts", type: .text, .notNull)
                .column("letter_id", type: .text, .references("escalation_letters", "id"))
                .column("object_type", type: .text)
                .column("object_id", type: .text)
                .column("recorded_by", type: .text, .notNull)
                .column("recorded_at", type: .text, .notNull)
                .run()
            try await db.create(index: "accountability_records_region").on("accountability_records").column("region_code").run()
            try await db.create(index: "accountability_records_unit").on("accountability_records").column("unit_region").run()
        },
        Migration(version: 16, name: "projects register and complaints") { db in
            try await db.create(table: "projects")
                .column("id", type: .text, .primaryKey(autoIncrement: false))
                .column("region_code", type: .text, .notNull)
                .column("name", type: .text, .notNull)
                .column("kind", type: .text, .notNull)
                .column("school_code", type: .text)
                .column("budget", type: double, .notNull)
                .column("places_added", type: .int, .notNull)
                .column("stage", type: .text, .notNull)
                .column("planned_start", type: .text, .notNull)
                .column("planned_completion", type: .text, .notNull)
                .column("started_on", type: .text)
                .column("completed_on", type: .text)
                .column("in_use_on", type: .text)
                .column("version", type: .int, .notNull)
                .column("updated_at", type: .text, .notNull)
                .run()
            try await db.create(index: "projects_region").on("projects").column("region_code").run()
            try await db.create(table: "complaints")
                .column("id", type: .text, .primaryKey(autoIncrement: false))
                .column("region_code", type: .text, .notNull)
                .column("number", type: .text, .notNull)
                .column("source", type: .text, .notNull)
                .column("received_on", type: .text, .notNull)
                .column("complainant", type: .text, .notNull)
                .column("phone", type: .text, .notNull)
                .column("content", type: .text, .notNull)
                .column("school_code", type: .text)
                .column("assigned_unit", type: .text)
                .column("deadline", type: .text)
                .column("state", type: .text, .notNull)
                .column("reply", type: .text)
                .column("answered_on", type: .text)
                .column("called_back_on", type: .text)
                .column("satisfied", type: .int)
                .column("reopen_count", type: .int, .notNull)
                .column("rectification_id", type: .text)
                .column("key_task_id", type: .text)
                .column("version", type: .int, .notNull)
                .run()
            try await db.create(table: "complaint_series")
                .column("region_code", type: .text, .notNull)
                .column("year", type: .int, .notNull)
                .column("last", type: .int, .notNull)
                .primaryKey("region_code", "year")
                .run()
            try await db.create(index: "complaints_number").on("complaints").column("region_code").column("number").unique().run()
            try await db.create(index: "complaints_received").on("complaints").column("region_code").column("received_on").run()
            // What happened to a complaint, in order (督办 notes, answers, callbacks).
            try await db.create(table: "complaint_events")
                .column("complaint_id", type: .text, .notNull, .references("complaints", "id"))
                .column("seq", type: .int, .notNull)
                .column("at", type: .text, .notNull)
                .column("actor", type: .text, .notNull)
                .column("action", type: .text, .notNull)
                .column("note", type: .text, .notNull)
                .primaryKey("complaint_id", "seq")
                .run()
        },
        Migration(version: 17, name: "e-mail addresses for the daily digest") { db in
            try await db.create(table: "user_emails")
                .column("user_id", type: .text, .primaryKey(autoIncrement: false), .references("users", "id"))
                .column("email", type: .text, .notNull)
                .column("updated_at", type: .text, .notNull)
                .run()
        },
        Migration(version: 18, name: "townships on schools") { db in
            // One column a statement: SQLite adds one at a time.
            try await db.alter(table: "schools").column("township", type: .text).run()
            try await db.alter(table: "schools").column("township_code", type: .text).run()
            try await db.create(index: "schools_township").on("schools").column("county_code").column("township").run()
        },
        Migration(version: 19, name: "indexes for national scale; code columns compared byte by byte") { db in
            // Supervision work's counter a county (`DataVersions.Counter.supervision`).
            try await db.create(table: "supervision_versions")
                .column("county_code", type: .text, .primaryKey(autoIncrement: false))
                .column("version", type: .int, .notNull)
                .column("changed_at", type: .text, .notNull)
                .run()
            // Subtree reads are key ranges on code columns (`where(_:under:)`). PostgreSQL
            // compares text by the database's collation: under zh_CN or ICU "41:" does not sort
            // after "4101", so the ranges would be wrong. Codes are digits: "C" is their order.
            if db.dialect.name != "sqlite" {
                for (table, column) in Self.codeColumns {
                    try await db.raw("ALTER TABLE \(unsafeRaw: table) ALTER COLUMN \(unsafeRaw: column) TYPE text COLLATE \"C\"").run()
                }
            }
            // Each index is named after the page or list it serves (docs/PERFORMANCE.md, national data set).
            try await db.drop(index: "rectifications_county").run()
            // A county's cases by state, soonest deadline first (supervision list, counts by state).
            try await db.create(index: "rectifications_county_state").on("rectifications").column("county_code").column("state").column("deadline")
                .run()
            // Cases opened in a period (bulletins), newest first (the API list).
            try await db.create(index: "rectifications_county_opened").on("rectifications").column("county_code").column("opened_on").run()
            // A school's cases (school page).
            try await db.create(index: "rectifications_school").on("rectifications").column("school_code").column("opened_on").run()
            // Visits of a region in a period (bulletins, monthly coverage).
            try await db.create(index: "visits_county_date").on("visits").column("county_code").column("visit_date").run()
            try await db.create(index: "responsibilities_inspector").on("responsibilities").column("inspector_id").run()
            try await db.create(index: "inspectors_region").on("inspectors").column("region_code").run()
            try await db.create(index: "inspectors_username").on("inspectors").column("username").run()
            // The change log newest first (time, then id: an import's entries share one time):
            // everywhere, in a county, by one actor (`AuditLog.search`).
            try await db.drop(index: "audit_region").run()
            try await db.create(index: "audit_at").on("audit_log").column("at").column("id").run()
            try await db.create(index: "audit_region_at").on("audit_log").column("region_code").column("at").column("id").run()
            try await db.create(index: "audit_actor_at").on("audit_log").column("actor").column("at").column("id").run()
            // A province's and a city's entries in order: by the code's first two and four
            // digits (the same expressions `AuditLog.search` filters on).
            try await db.raw("CREATE INDEX audit_province_at ON audit_log (substr(region_code, 1, 2), at, id)").run()
            try await db.raw("CREATE INDEX audit_city_at ON audit_log (substr(region_code, 1, 4), at, id)").run()
            try await db.drop(index: "evaluation_cases_region").run()
            try await db.create(index: "evaluation_cases_region").on("evaluation_cases").column("region_code").column("created_at").run()
        },
        Migration(version: 20, name: "one index of schools by county") { db in
            // `schools_township` (county_code, township) serves every read by county as well;
            // the second index cost a national import 0.4 s of PostgreSQL's time (PERFORMANCE.md).
            try await db.drop(index: "schools_county").run()
        },
    ]

    /// Columns holding region codes that subtree reads compare by range (migration 19).
    static let codeColumns: [(String, String)] = [
        ("regions", "code"), ("regions", "parent_code"), ("schools", "county_code"), ("visits", "county_code"),
        ("rectifications", "county_code"), ("inspectors", "region_code"), ("evaluation_cases", "region_code"), ("audit_log", "region_code"),
        ("users", "region_code"), ("county_facts", "county_code"), ("draws", "region_code"), ("data_versions", "county_code"),
        ("key_targets", "region_code"), ("key_tasks", "region_code"), ("escalation_letters", "region_code"), ("escalation_letters", "unit_region"),
        ("accountability_records", "region_code"), ("accountability_records", "unit_region"), ("projects", "region_code"),
        ("complaints", "region_code"), ("survey_campaigns", "region_code"), ("documents", "region_code"),
        ("supervision_versions", "county_code"),
    ]

    /// Applies every migration not yet recorded. Safe to call on every start.
    public static func run(on database: Database) async throws {
        try await database.sql.create(table: "schema_migrations").ifNotExists()
            .column("version", type: .int, .primaryKey(autoIncrement: false))
            .column("name", type: .text, .notNull)
            .column("applied_at", type: .text, .notNull)
            .run()
        let applied = Set(
            try await database.sql.select().column("version").from("schema_migrations").all()
                .map { try $0.decode(column: "version", as: Int.self) })
        for migration in all where !applied.contains(migration.version) {
            try await database.transaction { db in
                try await migration.apply(db)
                try await db.insert(into: "schema_migrations")
                    .columns("version", "name", "applied_at")
                    .values(migration.version, migration.name, Timestamp.now())
                    .run()
            }
        }
    }

    public static var latestVersion: Int { all.map(\.version).max() ?? 0 }
}
