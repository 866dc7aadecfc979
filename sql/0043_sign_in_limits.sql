-- Sign-in limits beside the per-name lockout (等保2.0 level 3, login failure handling): failed sign-ins per client
-- address within a window, whatever the names (one password tried across many names). An attempt is counted against
-- its name before its password is checked (SessionRepository.admit), so that concurrent guesses check no more
-- passwords than the lockout allows.
CREATE TABLE login_address_throttle (
    address        text PRIMARY KEY,
    window_started timestamptz NOT NULL DEFAULT now(),
    failures       integer NOT NULL DEFAULT 0
);
COMMENT ON TABLE login_address_throttle IS '按客户端地址统计的登录失败次数';
