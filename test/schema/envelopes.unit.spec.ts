// CloudEvents 1.0 and EventBridge envelopes: required attributes, the native event whole inside.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  mockEvent, mockEvents, wrapEnvelope, envelopeContext, eventBridgeContext, cloudEventsContext, createGenerator, seededAccount,
} from '../../src/index.js';

const fixture = (f: string) => JSON.parse(readFileSync(new URL(`../fixtures/schemas/${f}`, import.meta.url), 'utf8'));
const MY_EVENT = fixture('iatk-my-event.json');
const EC2 = fixture('eventbridge-ec2-instance-state-change.json');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const EB_KEYS = ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail'];

describe('schema: envelopes', () => {
  it('cloudevents: the CloudEvents 1.0 required attributes, data = the event unchanged', () => {
    const plain = mockEvent({ schema: MY_EVENT, ref: 'MyEvent', seed: 9, index: 4 });
    const ce = mockEvent({ schema: MY_EVENT, ref: 'MyEvent', seed: 9, index: 4, envelope: 'cloudevents' }) as any;
    assert.deepEqual(Object.keys(ce), ['specversion', 'id', 'source', 'type', 'time', 'datacontenttype', 'data']);
    assert.equal(ce.specversion, '1.0');
    assert.match(ce.id, UUID);
    assert.equal(ce.source, '/mockjutsu/MyEvent');
    assert.equal(ce.type, 'com.mockjutsu.MyEvent');
    assert.match(ce.time, RFC3339);
    assert.equal(ce.datacontenttype, 'application/json');
    assert.deepEqual(ce.data, plain);
  });

  it('eventbridge: version "0", id, detail-type, source, 12-digit account, time, region, resources, detail', () => {
    const plain = mockEvent({ schema: MY_EVENT, ref: 'MyEvent', seed: 9 });
    const eb = mockEvent({ schema: MY_EVENT, ref: 'MyEvent', seed: 9, envelope: 'eventbridge', envelopeFields: { source: 'shop.orders' } }) as any;
    assert.deepEqual(Object.keys(eb), EB_KEYS);
    assert.equal(eb.version, '0');
    assert.match(eb.id, UUID);
    assert.equal(eb['detail-type'], 'MyEvent');
    assert.equal(eb.source, 'shop.orders');
    assert.match(eb.account, /^[0-9]{12}$/);
    assert.equal(eb.account, seededAccount('9'));
    assert.match(eb.time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    assert.equal(eb.region, 'us-east-1');
    assert.deepEqual(eb.resources, []);
    assert.deepEqual(eb.detail, plain);
  });

  it('eventbridge on a registry AWSEvent keeps its detail and takes source/detail-type from the schema', () => {
    const native = mockEvent({ schema: EC2, seed: 2 }) as any;
    const eb = mockEvent({ schema: EC2, seed: 2, contexts: [eventBridgeContext({ region: 'eu-west-1' })] }) as any;
    assert.deepEqual(Object.keys(eb), EB_KEYS);
    assert.equal(eb.source, 'aws.ec2');
    assert.equal(eb['detail-type'], 'EC2 Instance State-change Notification');
    assert.equal(eb.region, 'eu-west-1');
    assert.deepEqual(eb.detail, native.detail);
    assert.deepEqual(eb.resources, native.resources);
    assert.match(eb.detail['instance-id'], /^i-[0-9a-f]{17}$/);
  });

  it('contexts run in order, then the envelope; ids and times are seeded', () => {
    const tag = (e: any, ctx: any) => { e.seq = ctx.index; };
    const a = [...mockEvents({ schema: MY_EVENT, ref: 'MyEvent', seed: 'ctx', count: 3, contexts: [tag, cloudEventsContext({ type: 'shop.order' })] })] as any[];
    const b = [...mockEvents({ schema: MY_EVENT, ref: 'MyEvent', seed: 'ctx', count: 3, contexts: [tag, cloudEventsContext({ type: 'shop.order' })] })];
    assert.equal(JSON.stringify(a), JSON.stringify(b));
    assert.deepEqual(a.map((e) => e.data.seq), [0, 1, 2]);
    assert.deepEqual(a.map((e) => e.type), ['shop.order', 'shop.order', 'shop.order']);
    assert.equal(new Set(a.map((e) => e.id)).size, 3);
    assert.ok(Date.parse(a[0].time) < Date.parse(a[1].time) && Date.parse(a[1].time) < Date.parse(a[2].time));
  });

  it('wrapEnvelope wraps event_stream session events whole, deterministically', () => {
    const session = createGenerator({ seed: 4 }).session(0, 0);
    const wrap = () => session.map((e) => wrapEnvelope(e, 'eventbridge', envelopeContext({ seed: '4', partition: '0', index: e.global_position, name: e.event_type, timeMs: Date.parse(e.timestamp) })));
    const out = wrap() as any[];
    assert.equal(JSON.stringify(out), JSON.stringify(wrap()));
    out.forEach((w, i) => {
      assert.deepEqual(w.detail, session[i]);
      assert.equal(w['detail-type'], session[i]!.event_type);
      assert.equal(w.time, session[i]!.timestamp.slice(0, 19) + 'Z');
    });
    const none = wrapEnvelope(session[0], 'none', envelopeContext({ seed: '4', partition: '0', index: 1, name: 'x' }));
    assert.equal(none, session[0]);
  });

  it('an unknown envelope is INVALID_OPTION', () => {
    assert.throws(() => mockEvent({ schema: MY_EVENT, ref: 'MyEvent', envelope: 'kafka' as any }), /envelope is "kafka"; allowed: none, cloudevents, eventbridge/);
  });
});
