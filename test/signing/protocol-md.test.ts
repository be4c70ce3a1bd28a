import assert from 'node:assert/strict';
import { test } from 'node:test';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { ActionSchema } from '../../src/gen/car_server_pb.js';
import { RoutableMessageSchema } from '../../src/gen/universal_message_pb.js';
import { InformationRequestType, UnsignedMessageSchema } from '../../src/gen/vcsec_pb.js';
import { bleLocalName } from '../../src/signing/ble.js';
import { hex, loadVector, toHex } from '../helpers/vectors.js';

const md = (id: string) => loadVector('protocol-md.json', `protocol-md.${id}`);

test('protocol.md TX debug line decodes to the documented fields', () => {
  const v = md('tx-debug-line');
  const m = fromBinary(RoutableMessageSchema, hex(v.input.routable_message));
  assert.deepEqual(m.toDestination?.subDestination, { case: 'domain', value: 2 });
  assert.equal(m.fromDestination?.subDestination.case, 'routingAddress');
  assert.equal(
    toHex(m.fromDestination?.subDestination.value as Uint8Array),
    v.expected['from_destination.routing_address'],
  );
  assert.equal(m.payload.case, 'protobufMessageAsBytes');
  assert.equal(toHex(m.payload.value as Uint8Array), v.expected.protobuf_message_as_bytes);
  assert.equal(toHex(m.uuid), v.expected.uuid);
  // protobuf-es writes fields in number order; Go writes oneofs last: compare decoded, not bytes.
  assert.deepEqual(fromBinary(RoutableMessageSchema, toBinary(RoutableMessageSchema, m)), m);
});

test('protocol.md VCSEC payload 0a020805 is a whitelist-info InformationRequest', () => {
  const v = md('vcsec-whitelist-info-request');
  const m = fromBinary(UnsignedMessageSchema, hex(v.input.payload));
  assert.equal(m.subMessage.case, 'InformationRequest');
  assert.equal(
    m.subMessage.value?.informationRequestType,
    InformationRequestType.GET_WHITELIST_INFO,
  );
});

test('protocol.md HVAC-on Action bytes', () => {
  const v = md('hvac-on-action');
  const bytes = toBinary(
    ActionSchema,
    create(ActionSchema, {
      actionMsg: {
        case: 'vehicleAction',
        value: { vehicleActionMsg: { case: 'hvacAutoAction', value: { powerOn: true } } },
      },
    }),
  );
  assert.equal(toHex(bytes), v.expected.payload);
});

test('protocol.md BLE local name', () => {
  const v = md('ble-local-name');
  assert.equal(bleLocalName(v.input.vin), v.expected.local_name);
  assert.notEqual(bleLocalName('5YJS0000000000001'), v.expected.local_name);
});
