-- The queries behind the pages benchmarks/national.sh measures, in the shape the store issues
-- them (SQLite: prefix with EXPLAIN QUERY PLAN; PostgreSQL: EXPLAIN ANALYZE). Each must be served
-- by an index: no scan of visits, rectifications or audit_log.
-- Province bulletin, one month: visits and cases by county (rectifications_county_opened, visits_county_date).
SELECT county_code, COUNT(*), COUNT(DISTINCT school_code) FROM visits WHERE county_code >= '41' AND county_code < '41:' AND visit_date >= '2026-10-01' AND visit_date <= '2026-10-31' AND status = 'signed' GROUP BY county_code;
SELECT county_code, category, COUNT(*) FROM rectifications WHERE county_code >= '41' AND county_code < '41:' AND opened_on >= '2026-10-01' AND opened_on <= '2026-10-31' GROUP BY county_code, category;
-- Change log: a province, a county (audit_province_at, audit_region_at).
SELECT * FROM audit_log WHERE substr(region_code, 1, 2) = '41' ORDER BY at DESC, id DESC LIMIT 51;
SELECT * FROM audit_log WHERE region_code = '410102' ORDER BY at DESC, id DESC LIMIT 51;
-- A county's rectification list, a page; a school's cases (rectifications_county_opened, rectifications_school).
SELECT * FROM rectifications WHERE county_code = '410102' ORDER BY opened_on DESC, id LIMIT 51;
SELECT * FROM rectifications WHERE county_code = '410102' AND school_code = '1410102001' ORDER BY opened_on DESC, id;
-- Schools of a county not visited in a month (schools_county, visits_school_date).
SELECT s.code FROM schools s LEFT JOIN responsibilities r ON r.school_code = s.code WHERE s.county_code = '410102' AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.school_code = s.code AND v.status = 'signed' AND v.visit_date >= '2026-10' AND v.visit_date < '2026-10:') ORDER BY s.code LIMIT 500;
