-- wrk script: POST a signed routine visit (one finding: meal samples not kept).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
local answers = [[{"students_enrolled":{"number":555},"is_boarding":{"bool":false},"has_canteen":{"bool":true},
"mgmt_rules_public":{"bool":true},"mgmt_duty_roster":{"bool":true},"mgmt_last_rectification_done":{"choice":"all_done"},
"fees_publicised":{"bool":true},"fees_irregular":{"bool":false},"enrolment_by_exam":{"bool":false},"largest_class":{"number":45},
"curr_full_timetable":{"bool":true},"curr_minor_subjects_cut":{"bool":false},"curr_lessons_observed":{"number":2},
"curr_lesson_quality":{"choice":"good"},"work_homework_limits":{"bool":true},"work_schedule":{"bool":true},"work_extra_classes":{"bool":false},
"pe_daily_hour":{"bool":true},"pe_eye_exercises":{"bool":true},"health_absent_sick":{"number":3},"health_counselling":{"bool":true},
"ethics_paid_tutoring":{"bool":false},"ethics_records":{"bool":true},"teacher_training":{"bool":true},"safety_gate":{"bool":true},
"safety_drills":{"number":2},"safety_hazard":{"bool":false},"canteen_licence":{"bool":true},"canteen_leader_meals":{"bool":true},
"canteen_samples":{"bool":false},"water_safe":{"bool":true},"ethos_bullying":{"bool":true},"ethos_order":{"choice":"good"},"visit_photos":{"photo":1}}]]
wrk.body = '{"date":"2026-11-24","sign":true,"people_met":"校长","answers":' .. answers .. '}'

