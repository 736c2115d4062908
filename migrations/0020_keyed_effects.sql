-- Typed outcomes (issue 13). An idempotency key records the effect it
-- made (an order, a payment attempt) in the same transaction as the
-- effect; the surface that answered stores its rendered answer after
-- commit (status 0 and an empty response until then). A replay finds the
-- answer, or renders one from the effect when the process died between
-- the two. Scopes name their surface: `v1:order:<client>`,
-- `client:payment:<client>`, so the API, the client area and later
-- dialects never read each other's answers.
ALTER TABLE idempotency_keys ADD COLUMN effect_kind TEXT NOT NULL DEFAULT '';
ALTER TABLE idempotency_keys ADD COLUMN effect_id INTEGER;

-- What a started payment gave the customer's side, so a lost answer can
-- be given again from the attempt.
ALTER TABLE payment_attempts ADD COLUMN client_secret TEXT;
ALTER TABLE payment_attempts ADD COLUMN access_code TEXT;

-- A cart is its own key now: checking out an ordered cart answers its order.
DELETE FROM idempotency_keys WHERE scope LIKE 'order:%' AND key LIKE 'cart:%';

-- A claim never answered belonged to a start cut short by a stop; its
-- attempt stays `starting` and is not resumed under the old key.
DELETE FROM idempotency_keys WHERE status = 0;

-- The client area's order form stored `{"invoice":{"id":N}}`; its answer
-- is now the page it redirects to.
UPDATE idempotency_keys
SET scope = 'client:' || scope,
    status = 303,
    response = '/account/invoices/' || json_extract(response, '$.invoice.id'),
    effect_kind = 'order',
    effect_id = (SELECT order_id FROM invoices
                 WHERE invoices.id = json_extract(idempotency_keys.response, '$.invoice.id'))
WHERE scope LIKE 'order:%'
  AND json_valid(response)
  AND json_extract(response, '$.order') IS NULL
  AND json_extract(response, '$.invoice.id') IS NOT NULL;

-- Every other order answer is the API's.
UPDATE idempotency_keys
SET scope = 'v1:' || scope,
    effect_kind = 'order',
    effect_id = CASE WHEN json_valid(response) THEN json_extract(response, '$.order.id') END
WHERE scope LIKE 'order:%';

-- The client area's payment keys carried a `web:` prefix.
UPDATE idempotency_keys
SET scope = 'client:' || scope, key = substr(key, 5), effect_kind = 'payment_attempt'
WHERE scope LIKE 'payment:%' AND key LIKE 'web:%';

UPDATE idempotency_keys
SET scope = 'v1:' || scope,
    effect_kind = 'payment_attempt',
    effect_id = CASE WHEN json_valid(response) THEN json_extract(response, '$.attempt_id') END
WHERE scope LIKE 'payment:%';
