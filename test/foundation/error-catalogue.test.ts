// Every placeholder of the catalogue is filled from the error's params, in the message and in the next step alike
// (an answer once told operators to change a setting in "System Console ({{Where}})").
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppError } from '../../server/errors/app-error.ts';
import { catalogue, type ErrorId } from '../../server/errors/catalogue.ts';

const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]!);

describe('error catalogue', () => {
  test('message and next step render every placeholder from the params, for the error and its field errors', () => {
    let withPlaceholders = 0;
    for (const [id, entry] of Object.entries(catalogue) as [ErrorId, { message: string; next_step: string }][]) {
      const names = [...placeholders(entry.message), ...placeholders(entry.next_step)];
      if (names.length === 0) continue;
      withPlaceholders++;
      const params = Object.fromEntries(names.map((name) => [name, `«${name}»`]));
      const body = new AppError(id, { params, fieldErrors: [{ id, field: 'X.Y', params }] }).toBody('r');
      for (const text of [body.message, body.next_step, body.field_errors![0]!.message, body.field_errors![0]!.next_step]) {
        assert.doesNotMatch(text, /\{\{/, `${id}: ${text}`);
      }
      for (const name of names) assert.ok(`${body.message} ${body.next_step}`.includes(`«${name}»`), `${id}: ${name} shown`);
    }
    assert.ok(withPlaceholders > 10, 'the catalogue has parameterised entries to check');
  });

  test('the owned-setting refusal names where to change the value', () => {
    const body = new AppError('mamgate.chatserver.owned_setting.app_error', {
      params: { What: 'The license', Where: 'System Console > About > Edition and License' },
    }).toBody('r');
    assert.equal(body.next_step, "Change it in the chat server's System Console (System Console > About > Edition and License); mamgate follows within a second.");
  });
});
