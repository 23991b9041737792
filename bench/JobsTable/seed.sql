-- :rows jobs over the last 90 days, shaped like a busy system's history: 93 % completed, 4 % failed, 2.5 % cancelled,
-- 0.5 % in flight; 70 % image-generation; a tenth of them the dev user's ("demo"), the rest spread over 2,000 owners.
-- Prompts combine a style and a subject (each 1 in 8) with the row number; 1 in 1,000 says "zebra", a rare word (never
-- in a cancelled job, so that searching cancelled jobs for it finds nothing: the worst case, every row read without an index).
INSERT INTO workflow.jobs (
    id, current_state, version, type, priority, owner, input, max_retries, timeout_seconds, attempt, retry_count,
    progress_current, progress_total, progress_percent, progress_message, errors, history, sequence,
    created_at, started_at, completed_at, updated_at, watchers, fault_stage, fault_reason)
SELECT
    gen_random_uuid(),
    s.state, 1, s.type, s.priority, s.owner,
    jsonb_build_object(
        'basePrompt', (ARRAY['watercolor','ink','neon','retro','minimal','oil','pixel art','paper cut'])[1 + i % 8] || ' ' ||
                      CASE WHEN i % 1000 = 3 THEN 'zebra' ELSE (ARRAY['lighthouse','fox','city','forest','harbor','mountain','desert','train'])[1 + (i / 8) % 8] END ||
                      ' poster ' || i,
        'attributes', jsonb_build_object('style', jsonb_build_array('ink', 'watercolor')), 'count', 4, 'width', 512, 'height', 512),
    3, 600, 1, 0,
    CASE WHEN s.state = 'Completed' THEN 4 ELSE 0 END, 4, CASE WHEN s.state = 'Completed' THEN 100 ELSE 0 END, lower(s.state),
    '[]', '[]', 8,
    s.created_at, s.created_at + interval '1 second',
    CASE WHEN s.state IN ('Completed', 'Faulted', 'Cancelled') THEN s.created_at + interval '30 seconds' END,
    s.created_at + interval '30 seconds', '[]',
    CASE WHEN s.state = 'Faulted' THEN 'Generating' END,
    CASE WHEN s.state = 'Faulted' THEN 'the image provider did not answer' END
FROM generate_series(1, :rows) AS i
CROSS JOIN LATERAL (SELECT
    CASE WHEN i % 1000 < 930 THEN 'Completed' WHEN i % 1000 < 970 THEN 'Faulted' WHEN i % 1000 < 995 THEN 'Cancelled'
         WHEN i % 2 = 0 THEN 'Generating' ELSE 'Submitted' END AS state,
    CASE WHEN i % 10 < 7 THEN 'image-generation' WHEN i % 10 < 9 THEN 'combination-analysis' ELSE 'batch-processing' END AS type,
    (ARRAY['high','normal','normal','normal','low'])[1 + (i / 10) % 5] AS priority,
    CASE WHEN i % 10 = 3 THEN 'demo' ELSE 'user-' || (i % 2000) END AS owner,
    now() - (90 * 86400.0 / :rows) * i * interval '1 second' AS created_at) AS s;
VACUUM ANALYZE workflow.jobs;
