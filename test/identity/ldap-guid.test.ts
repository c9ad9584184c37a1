// guid.ts: the id attribute read as a 36-character GUID string in any case, or as 16 bytes in MS-DTYP order.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeGuidBytes, normaliseGuidString, readGuidValue } from '../../server/identity/ldap/guid.ts';

const bytes = (...values: number[]) => Buffer.from(values);

describe('ldap guid', () => {
  test('16 bytes decode in MS-DTYP order: Data1..3 little-endian, Data4 as is', () => {
    const raw = bytes(0x33, 0x22, 0x11, 0x00, 0x55, 0x44, 0x77, 0x66, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff);
    assert.equal(decodeGuidBytes(raw), '00112233-4455-6677-8899-aabbccddeeff');
    const sequential = Buffer.from(Array.from({ length: 16 }, (_, i) => i));
    assert.equal(decodeGuidBytes(sequential), '03020100-0504-0706-0809-0a0b0c0d0e0f');
    assert.deepEqual(readGuidValue(raw), { objectId: '00112233-4455-6677-8899-aabbccddeeff', raw: '33221100554477668899aabbccddeeff', encoding: 'binary' });
  });

  test('a byte order mistake would show: reading the bytes in order gives another GUID', () => {
    const raw = bytes(0x33, 0x22, 0x11, 0x00, 0x55, 0x44, 0x77, 0x66, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff);
    assert.notEqual(decodeGuidBytes(raw), '33221100-5544-7766-8899-aabbccddeeff');
  });

  test('anything but 16 bytes is not a binary GUID', () => {
    assert.equal(decodeGuidBytes(Buffer.alloc(15)), null);
    assert.equal(decodeGuidBytes(Buffer.alloc(17)), null);
    assert.equal(decodeGuidBytes(Buffer.alloc(0)), null);
    const odd = readGuidValue(bytes(0xff, 0xfe, 0x00, 0x01));
    assert.deepEqual(odd, { objectId: null, raw: 'fffe0001', encoding: 'binary' });
  });

  test('36-character strings of any case are normalised to lower case', () => {
    assert.equal(normaliseGuidString('AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE'), 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee');
    assert.equal(normaliseGuidString('aBcDeF01-2345-4678-9AbC-DEF012345678'), 'abcdef01-2345-4678-9abc-def012345678');
    assert.equal(normaliseGuidString(' abcdef01-2345-4678-9abc-def012345678 '), 'abcdef01-2345-4678-9abc-def012345678');
    assert.deepEqual(readGuidValue('ABCDEF01-2345-4678-9ABC-DEF012345678'), {
      objectId: 'abcdef01-2345-4678-9abc-def012345678',
      raw: 'ABCDEF01-2345-4678-9ABC-DEF012345678',
      encoding: 'string',
    });
  });

  test('other strings are not GUIDs: braces, no dashes, wrong length, non-hex, empty', () => {
    for (const value of [
      '{abcdef01-2345-4678-9abc-def012345678}',
      'abcdef01234546789abcdef012345678',
      'abcdef01-2345-4678-9abc-def01234567',
      'abcdef01-2345-4678-9abc-def0123456789',
      'ghijkl01-2345-4678-9abc-def012345678',
      'abcdef01_2345_4678_9abc_def012345678',
      '',
      'jane.doe@example.com',
    ]) {
      assert.equal(normaliseGuidString(value), null, value);
      assert.equal(readGuidValue(value).objectId, null, value);
      assert.equal(readGuidValue(value).raw, value);
    }
  });

  test('16 bytes of printable text are text that is not a GUID, never a binary GUID', () => {
    assert.deepEqual(readGuidValue(Buffer.from('dave@example.com')), { objectId: null, raw: 'dave@example.com', encoding: 'string' });
    assert.deepEqual(readGuidValue(Buffer.from('jöhn@exámple.i')), { objectId: null, raw: 'jöhn@exámple.i', encoding: 'string' });
    // Valid UTF-8 but control characters: bytes, decoded as a GUID.
    const controls = Buffer.from(Array.from({ length: 16 }, (_, i) => i + 1));
    assert.deepEqual(readGuidValue(controls), { objectId: '04030201-0605-0807-090a-0b0c0d0e0f10', raw: '0102030405060708090a0b0c0d0e0f10', encoding: 'binary' });
  });

  test('a string GUID that arrives as bytes (explicitBufferAttributes) is read as text', () => {
    const reading = readGuidValue(Buffer.from('AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE', 'utf8'));
    assert.deepEqual(reading, { objectId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee', raw: 'AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE', encoding: 'string' });
    const text = readGuidValue(Buffer.from('not a guid', 'utf8'));
    assert.deepEqual(text, { objectId: null, raw: 'not a guid', encoding: 'string' });
  });
});
