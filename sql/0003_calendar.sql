-- The working-day calendar (工作日历): public holidays and make-up working days (调休) per year, maintained by
-- the leadership office. Shipped with 2025 and 2026 from the State Council's notices (国务院办公厅关于部分节假日
-- 安排的通知), as the chinese-calendar package also records them.

CREATE TABLE calendar_years (
    year       integer PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE calendar_days (
    day  date PRIMARY KEY,
    year integer NOT NULL REFERENCES calendar_years (year) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('holiday', 'makeup_workday')),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
    CHECK (extract(year FROM day) = year)
);

COMMENT ON TABLE calendar_days IS '工作日历：法定节假日与调休上班日';

INSERT INTO calendar_years (year) VALUES (2025), (2026);

INSERT INTO calendar_days (day, year, kind, name) VALUES
    ('2025-01-01', 2025, 'holiday', '元旦'),
    ('2025-01-26', 2025, 'makeup_workday', '春节'),
    ('2025-01-28', 2025, 'holiday', '春节'),
    ('2025-01-29', 2025, 'holiday', '春节'),
    ('2025-01-30', 2025, 'holiday', '春节'),
    ('2025-01-31', 2025, 'holiday', '春节'),
    ('2025-02-01', 2025, 'holiday', '春节'),
    ('2025-02-02', 2025, 'holiday', '春节'),
    ('2025-02-03', 2025, 'holiday', '春节'),
    ('2025-02-04', 2025, 'holiday', '春节'),
    ('2025-02-08', 2025, 'makeup_workday', '春节'),
    ('2025-04-04', 2025, 'holiday', '清明节'),
    ('2025-04-05', 2025, 'holiday', '清明节'),
    ('2025-04-06', 2025, 'holiday', '清明节'),
    ('2025-04-27', 2025, 'makeup_workday', '劳动节'),
    ('2025-05-01', 2025, 'holiday', '劳动节'),
    ('2025-05-02', 2025, 'holiday', '劳动节'),
    ('2025-05-03', 2025, 'holiday', '劳动节'),
    ('2025-05-04', 2025, 'holiday', '劳动节'),
    ('2025-05-05', 2025, 'holiday', '劳动节'),
    ('2025-05-31', 2025, 'holiday', '端午节'),
    ('2025-06-01', 2025, 'holiday', '端午节'),
    ('2025-06-02', 2025, 'holiday', '端午节'),
    ('2025-09-28', 2025, 'makeup_workday', '国庆节'),
    ('2025-10-01', 2025, 'holiday', '国庆节'),
    ('2025-10-02', 2025, 'holiday', '国庆节'),
    ('2025-10-03', 2025, 'holiday', '国庆节'),
    ('2025-10-04', 2025, 'holiday', '国庆节'),
    ('2025-10-05', 2025, 'holiday', '国庆节'),
    ('2025-10-06', 2025, 'holiday', '中秋节'),
    ('2025-10-07', 2025, 'holiday', '国庆节'),
    ('2025-10-08', 2025, 'holiday', '国庆节'),
    ('2025-10-11', 2025, 'makeup_workday', '国庆节'),
    ('2026-01-01', 2026, 'holiday', '元旦'),
    ('2026-01-02', 2026, 'holiday', '元旦'),
    ('2026-01-03', 2026, 'holiday', '元旦'),
    ('2026-01-04', 2026, 'makeup_workday', '元旦'),
    ('2026-02-14', 2026, 'makeup_workday', '春节'),
    ('2026-02-15', 2026, 'holiday', '春节'),
    ('2026-02-16', 2026, 'holiday', '春节'),
    ('2026-02-17', 2026, 'holiday', '春节'),
    ('2026-02-18', 2026, 'holiday', '春节'),
    ('2026-02-19', 2026, 'holiday', '春节'),
    ('2026-02-20', 2026, 'holiday', '春节'),
    ('2026-02-21', 2026, 'holiday', '春节'),
    ('2026-02-22', 2026, 'holiday', '春节'),
    ('2026-02-23', 2026, 'holiday', '春节'),
    ('2026-02-28', 2026, 'makeup_workday', '春节'),
    ('2026-04-04', 2026, 'holiday', '清明节'),
    ('2026-04-05', 2026, 'holiday', '清明节'),
    ('2026-04-06', 2026, 'holiday', '清明节'),
    ('2026-05-01', 2026, 'holiday', '劳动节'),
    ('2026-05-02', 2026, 'holiday', '劳动节'),
    ('2026-05-03', 2026, 'holiday', '劳动节'),
    ('2026-05-04', 2026, 'holiday', '劳动节'),
    ('2026-05-05', 2026, 'holiday', '劳动节'),
    ('2026-05-09', 2026, 'makeup_workday', '劳动节'),
    ('2026-06-19', 2026, 'holiday', '端午节'),
    ('2026-06-20', 2026, 'holiday', '端午节'),
    ('2026-06-21', 2026, 'holiday', '端午节'),
    ('2026-09-20', 2026, 'makeup_workday', '国庆节'),
    ('2026-09-25', 2026, 'holiday', '中秋节'),
    ('2026-09-26', 2026, 'holiday', '中秋节'),
    ('2026-09-27', 2026, 'holiday', '中秋节'),
    ('2026-10-01', 2026, 'holiday', '国庆节'),
    ('2026-10-02', 2026, 'holiday', '国庆节'),
    ('2026-10-03', 2026, 'holiday', '国庆节'),
    ('2026-10-04', 2026, 'holiday', '国庆节'),
    ('2026-10-05', 2026, 'holiday', '国庆节'),
    ('2026-10-06', 2026, 'holiday', '国庆节'),
    ('2026-10-07', 2026, 'holiday', '国庆节'),
    ('2026-10-10', 2026, 'makeup_workday', '国庆节');
