-- Seeds old finished jobs into workflow.jobs for the retention benchmark (bench/seed-old-jobs.sh runs it; the
-- retention specs run it too). Parameters come from the session: seed.jobs (how many) and seed.age_days (how long
-- ago the newest of them finished). Every seeded job belongs to the owner 'bench-seeded', so that they can be counted
-- and told from everyone else's. Eight in ten completed, one failed, one cancelled, like a working system's history;
-- each row carries what a real finished job of two images carries (input, combinations, prompts, images, statistics,
-- errors and a history of a dozen entries), so that deleting one costs what deleting a real one costs.
INSERT INTO workflow.jobs (
    id, current_state, version, type, priority, owner, input, max_retries, timeout_seconds, attempt, retry_count,
    progress_current, progress_total, progress_percent, progress_message, combinations, prompts, images, statistics,
    manifest_blob_key, errors, history, sequence, created_at, started_at, completed_at, updated_at, fault_stage,
    fault_reason, resume_state, watchers)
SELECT
    s.id, s.state, 12, 'image-generation', 'normal', 'bench-seeded',
    '{"basePrompt":"a seeded travel poster","attributes":{"style":["ink","oil"],"subject":["fox","owl"]},"count":2,"width":64,"height":64}',
    3, 600, 1, 0, 2, 2,
    CASE s.state WHEN 'Completed' THEN 100 ELSE 40 END,
    CASE s.state WHEN 'Completed' THEN 'completed' WHEN 'Cancelled' THEN 'cancelled' ELSE 'Generating failed: image provider answered 400 Bad Request' END,
    '[{"style":"ink","subject":"fox"},{"style":"oil","subject":"owl"}]',
    '[{"index":0,"prompt":"a seeded travel poster, style: ink, subject: fox, golden hour light","combination":{"style":"ink","subject":"fox"}},{"index":1,"prompt":"a seeded travel poster, style: oil, subject: owl, neon glow","combination":{"style":"oil","subject":"owl"}}]',
    CASE s.state WHEN 'Completed' THEN jsonb_build_array(
        jsonb_build_object('index', 0, 'blobKey', 'jobs/' || s.id || '/images/0000-0123456789ab.png', 'prompt', 'a seeded travel poster, style: ink', 'combination', '{"style":"ink","subject":"fox"}'::jsonb, 'width', 64, 'height', 64, 'sha256', repeat('a', 64), 'bytes', 2048),
        jsonb_build_object('index', 1, 'blobKey', 'jobs/' || s.id || '/images/0001-0123456789ab.png', 'prompt', 'a seeded travel poster, style: oil', 'combination', '{"style":"oil","subject":"owl"}'::jsonb, 'width', 64, 'height', 64, 'sha256', repeat('b', 64), 'bytes', 2048)) END,
    CASE s.state WHEN 'Completed' THEN '{"imageCount":2,"totalBytes":4096,"distinctPrompts":2,"renderMilliseconds":12.5,"postProcessingMilliseconds":3.1}'::jsonb END,
    CASE s.state WHEN 'Completed' THEN 'jobs/' || s.id || '/manifest.json' END,
    CASE s.state WHEN 'Faulted' THEN jsonb_build_array(jsonb_build_object('at', s.finished, 'stage', 'Generating', 'attempt', 1, 'message', 'image provider answered 400 Bad Request', 'permanent', true)) ELSE '[]'::jsonb END,
    (SELECT jsonb_agg(jsonb_build_object('at', s.created + h * interval '50 milliseconds', 'state', h_state, 'stage', h_state, 'attempt', 1, 'message', 'seeded history entry ' || h))
     FROM generate_series(1, 12) h, LATERAL (SELECT (ARRAY['Submitted','Analyzing','Enhancing','Generating','Finalizing','Completed'])[1 + (h - 1) / 2] AS h_state) x),
    14, s.created, s.created, s.finished, s.finished,
    CASE s.state WHEN 'Faulted' THEN 'Generating' END,
    CASE s.state WHEN 'Faulted' THEN 'image provider answered 400 Bad Request' END,
    CASE WHEN s.state IN ('Faulted', 'Cancelled') THEN 'Generating' END,
    '[]'
FROM (
    SELECT gen_random_uuid() AS id,
           CASE WHEN g % 10 = 0 THEN 'Faulted' WHEN g % 10 = 1 THEN 'Cancelled' ELSE 'Completed' END AS state,
           now() - make_interval(days => current_setting('seed.age_days')::int) - g * interval '1 second' - interval '2 seconds' AS created,
           now() - make_interval(days => current_setting('seed.age_days')::int) - g * interval '1 second' AS finished
    FROM generate_series(1, current_setting('seed.jobs')::int) g
) s;
