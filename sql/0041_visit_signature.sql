-- 现场确认 on a phone: the business's signature drawn on the screen, kept as an evidence file of the object (a PNG
-- stored by its SM3) and named by the visit as sm3:<digest>; empty when signed on paper or refused. The evidence
-- sweep keeps the files a visit names as it keeps those an item result names.
ALTER TABLE site_visits
    ADD COLUMN signature text NOT NULL DEFAULT ''
        CHECK (signature = '' OR signature ~ '^sm3:[0-9a-f]{64}$' AND confirmation = 'signed');
COMMENT ON COLUMN site_visits.signature IS '被检查对象手写签名（证据文件 sm3:摘要）';
