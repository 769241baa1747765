-- wrk script: each request submits a parents' satisfaction questionnaire through its own
-- single-use link (tokens from the file in $LINKS, one per line, split between the threads).
local threads = {}
local count = 0

function setup(thread)
  thread:set("id", count)
  count = count + 1
  table.insert(threads, thread)
end

function init(args)
  tokens = {}
  for line in io.lines(os.getenv("LINKS")) do tokens[#tokens + 1] = line end
  step = tonumber(os.getenv("THREADS") or "2")
  next_index = id + 1
end

local likert = {"conditions", "teachers", "workload", "after_school", "admission", "fees", "safety", "gap", "government"}
local parts = {"action=submit", "a_child_stage=primary", "a_boarding=0", "a_irregular_fees=0"}
for _, item in ipairs(likert) do parts[#parts + 1] = "a_" .. item .. "=satisfied" end
local body = table.concat(parts, "&")

function request()
  local token = tokens[next_index]
  next_index = next_index + step
  if token == nil then token = "AAAAAAAAAAAAAAAAAAAAAA" end
  return wrk.format("POST", "/s/" .. token, {["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end
