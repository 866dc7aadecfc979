-- 开放数据: exports of published results by publication date read this index in publication order.
CREATE INDEX published_results_published_at ON published_results (published_at, id);
