import asyncio, json, os, sys, base64
import nats

OUT = sys.argv[1]
os.makedirs(OUT, exist_ok=True)

def save(name, data):
    if isinstance(data, (bytes, bytearray)):
        data = json.loads(data)
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump(data, f, indent=2, sort_keys=True)
        f.write("\n")

async def main():
    nc = await nats.connect("nats://127.0.0.1:14333")
    events = []
    async def on_event(msg):
        events.append((msg.subject, json.loads(msg.data)))
    await nc.subscribe("$JS.EVENT.>", cb=on_event)
    await nc.flush()

    async def req(subj, body=None, name=None, headers=None):
        if body is None:
            payload = b""
        elif isinstance(body, (bytes, str)):
            payload = body.encode() if isinstance(body, str) else body
        else:
            payload = json.dumps(body).encode()
        r = await nc.request(subj, payload, timeout=5, headers=headers)
        if name:
            save(name, r.data)
        return r

    await req("$JS.API.INFO", name="account_info")
    orders = {
        "name": "ORDERS", "description": "orders stream", "subjects": ["orders.>"],
        "retention": "limits", "max_consumers": 10, "max_msgs": 100000, "max_bytes": 10485760,
        "max_age": 3600000000000, "max_msgs_per_subject": 100, "max_msg_size": 65536,
        "discard": "new", "discard_new_per_subject": True, "storage": "file", "num_replicas": 1,
        "duplicate_window": 120000000000, "allow_direct": True, "allow_rollup_hdrs": True,
        "deny_purge": False, "compression": "s2", "first_seq": 5,
        "republish": {"src": "orders.>", "dest": "repub.orders.>", "headers_only": True},
        "consumer_limits": {"inactive_threshold": 60000000000, "max_ack_pending": 500},
        "allow_msg_ttl": True, "subject_delete_marker_ttl": 300000000000,
        "metadata": {"owner": "natrium"},
    }
    await req("$JS.API.STREAM.CREATE.ORDERS", orders, name="stream_create_orders")
    await req("$JS.API.STREAM.CREATE.ORDERS", dict(orders, max_msgs=5), name="err_stream_create_exists")
    await req("$JS.API.STREAM.UPDATE.ORDERS", dict(orders, description="updated"), name="stream_update_orders")
    await req("$JS.API.STREAM.CREATE.WQ", {"name": "WQ", "subjects": ["wq.*"], "retention": "workqueue",
        "storage": "memory", "discard": "old", "num_replicas": 1, "deny_delete": True, "deny_purge": True,
        "no_ack": False, "subject_transform": {"src": "wq.*", "dest": "wq.t.{{wildcard(1)}}"},
        "allow_atomic": True, "allow_msg_schedules": True}, name="stream_create_wq")
    await req("$JS.API.STREAM.CREATE.ASYNC", {"name": "ASYNC", "subjects": ["async.>"], "storage": "file",
        "persist_mode": "async", "retention": "interest", "sealed": False}, name="stream_create_async")
    await req("$JS.API.STREAM.CREATE.CNT", {"name": "CNT", "subjects": ["cnt.>"], "storage": "memory",
        "allow_msg_counter": True, "allow_direct": True}, name="stream_create_counter")
    await req("$JS.API.STREAM.CREATE.SRC", {"name": "SRC", "storage": "memory", "sources": [
        {"name": "ORDERS", "opt_start_seq": 1, "filter_subject": "orders.eu.>"},
        {"name": "CNT", "opt_start_time": "2024-01-02T03:04:05.123456789Z",
         "subject_transforms": [{"src": "cnt.>", "dest": "src.cnt.>"}]}]}, name="stream_create_sourced")
    await req("$JS.API.STREAM.CREATE.MIR", {"name": "MIR", "storage": "memory", "mirror_direct": True,
        "mirror": {"name": "ORDERS", "external": {"api": "$JS.hub.API", "deliver": "mir.deliver"}}}, name="stream_create_mirror")
    await req("$JS.API.STREAM.CREATE.BAD", {"name": "BAD", "subjects": ["bad"], "unknown_field": 1}, name="err_stream_create_unknown_field")
    await req("$JS.API.STREAM.CREATE.BAD", "{not json", name="err_stream_create_invalid_json")
    await req("$JS.API.STREAM.CREATE.BAD", {"name": "OTHER", "subjects": ["bad"]}, name="err_stream_create_name_mismatch")
    await req("$JS.API.STREAM.CREATE.BAD2", {"name": "BAD2", "subjects": ["orders.eu.1"]}, name="err_stream_create_overlap")

    # publishes
    acks = []
    for i in range(6):
        r = await nc.request(f"orders.eu.{i%3}", f"order {i}".encode(), timeout=5,
                             headers={"Nats-Msg-Id": f"id-{i}", "X-Trace": "t"} if i % 2 == 0 else None)
        acks.append(json.loads(r.data))
    save("pub_ack", acks[0])
    r = await nc.request("orders.eu.0", b"dup", timeout=5, headers={"Nats-Msg-Id": "id-0"})
    save("pub_ack_duplicate", r.data)
    r = await nc.request("orders.us.1", b"x", timeout=5, headers={"Nats-Expected-Last-Sequence": "1"})
    save("pub_ack_err_wrong_last_seq", r.data)
    r = await nc.request("cnt.a", b"", timeout=5, headers={"Nats-Incr": "+5"})
    save("pub_ack_counter", r.data)
    await nc.request("wq.1", b"w1", timeout=5)
    await nc.request("wq.2", b"w2", timeout=5)

    await req("$JS.API.STREAM.MSG.DELETE.ORDERS", {"seq": 6}, name="stream_msg_delete")
    await req("$JS.API.STREAM.MSG.DELETE.ORDERS", {"seq": 6, "no_erase": True}, name="err_stream_msg_delete_missing")
    await req("$JS.API.STREAM.INFO.ORDERS", {"deleted_details": True, "subjects_filter": ">"}, name="stream_info_details")
    await req("$JS.API.STREAM.INFO.ORDERS", None, name="stream_info")
    await asyncio.sleep(0.5)
    await req("$JS.API.STREAM.INFO.SRC", None, name="stream_info_sourced")
    await req("$JS.API.STREAM.INFO.MIR", None, name="stream_info_mirror")
    await req("$JS.API.STREAM.INFO.NOPE", None, name="err_stream_info_not_found")
    await req("$JS.API.STREAM.NAMES", {"offset": 0}, name="stream_names")
    await req("$JS.API.STREAM.NAMES", {"subject": "orders.eu.1"}, name="stream_names_filtered")
    await req("$JS.API.STREAM.LIST", {"offset": 0}, name="stream_list")
    await req("$JS.API.STREAM.MSG.GET.ORDERS", {"seq": 5}, name="stream_msg_get")
    await req("$JS.API.STREAM.MSG.GET.ORDERS", {"last_by_subj": "orders.eu.2"}, name="stream_msg_get_last")
    await req("$JS.API.STREAM.MSG.GET.ORDERS", {"seq": 999}, name="err_stream_msg_get_not_found")
    # direct get: raw headers
    r = await nc.request("$JS.API.DIRECT.GET.ORDERS", json.dumps({"seq": 5}).encode(), timeout=5)
    with open(os.path.join(OUT, "direct_get_headers.json"), "w") as f:
        json.dump({"headers": r.headers, "data": r.data.decode()}, f, indent=2, sort_keys=True); f.write("\n")

    # consumers
    pull = {"stream_name": "ORDERS", "action": "create", "config": {
        "durable_name": "PULL", "description": "pull consumer", "deliver_policy": "all",
        "ack_policy": "explicit", "ack_wait": 30000000000, "max_deliver": 5,
        "backoff": [1000000000, 5000000000], "filter_subjects": ["orders.eu.>", "orders.us.>"],
        "replay_policy": "instant", "max_waiting": 128, "max_ack_pending": 100,
        "max_batch": 50, "max_expires": 60000000000, "max_bytes": 1048576,
        "inactive_threshold": 30000000000, "num_replicas": 0, "mem_storage": True,
        "metadata": {"team": "a"}, "sample_freq": "50%",
        "priority_groups": ["G1"], "priority_policy": "pinned_client", "priority_timeout": 90000000000}}
    await req("$JS.API.CONSUMER.CREATE.ORDERS.PULL", pull, name="consumer_create_pull")
    push = {"stream_name": "ORDERS", "config": {
        "name": "PUSH", "deliver_policy": "by_start_time", "opt_start_time": "2020-01-01T00:00:00Z",
        "ack_policy": "all", "filter_subject": "orders.eu.1", "replay_policy": "original",
        "rate_limit_bps": 1000000, "flow_control": True, "idle_heartbeat": 5000000000,
        "headers_only": True, "deliver_subject": "push.deliver", "deliver_group": "grp"}}
    await req("$JS.API.CONSUMER.CREATE.ORDERS.PUSH", push, name="consumer_create_push")
    await req("$JS.API.CONSUMER.DURABLE.CREATE.ORDERS.SEQ", {"stream_name": "ORDERS", "config": {
        "durable_name": "SEQ", "deliver_policy": "by_start_sequence", "opt_start_seq": 7,
        "ack_policy": "none"}}, name="consumer_create_durable_legacy")
    await req("$JS.API.CONSUMER.CREATE.ORDERS", {"stream_name": "ORDERS", "config": {
        "deliver_policy": "last_per_subject", "ack_policy": "explicit", "filter_subject": "orders.>"}}, name="consumer_create_ephemeral")
    await req("$JS.API.CONSUMER.CREATE.ORDERS.PULL", dict(pull, action="create", config=dict(pull["config"], max_deliver=9)), name="err_consumer_create_exists")
    await req("$JS.API.CONSUMER.CREATE.NOPE.X", {"stream_name": "NOPE", "config": {"name": "X", "ack_policy": "explicit"}}, name="err_consumer_create_stream_not_found")
    await req("$JS.API.CONSUMER.CREATE.ORDERS.BADU", {"stream_name": "ORDERS", "config": {"name": "BADU", "bogus": True}}, name="err_consumer_create_unknown_field")
    await req("$JS.API.CONSUMER.INFO.ORDERS.PULL", None, name="consumer_info")
    await req("$JS.API.CONSUMER.INFO.ORDERS.NOPE", None, name="err_consumer_info_not_found")
    await req("$JS.API.CONSUMER.NAMES.ORDERS", {"offset": 0}, name="consumer_names")
    await req("$JS.API.CONSUMER.LIST.ORDERS", {"offset": 0}, name="consumer_list")
    await req("$JS.API.CONSUMER.PAUSE.ORDERS.PULL", {"pause_until": "2099-01-01T00:00:00Z"}, name="consumer_pause")
    await req("$JS.API.CONSUMER.INFO.ORDERS.PULL", None, name="consumer_info_paused")
    await req("$JS.API.CONSUMER.PAUSE.ORDERS.PULL", None, name="consumer_resume")
    await req("$JS.API.CONSUMER.UNPIN.ORDERS.PULL", {"group": "G1"}, name="consumer_unpin")
    await req("$JS.API.CONSUMER.UNPIN.ORDERS.PULL", {"group": "NOPE"}, name="err_consumer_unpin_bad_group")

    # pull with pinning to get pinned state
    inbox = nc.new_inbox()
    sub = await nc.subscribe(inbox)
    await nc.publish("$JS.API.CONSUMER.MSG.NEXT.ORDERS.PULL", json.dumps({"batch": 1, "expires": 2000000000, "group": "G1"}).encode(), reply=inbox)
    m = await sub.next_msg(timeout=3)
    await req("$JS.API.CONSUMER.INFO.ORDERS.PULL", None, name="consumer_info_pinned")

    # advisories: max deliveries + terminated
    await req("$JS.API.CONSUMER.CREATE.ORDERS.MAXD", {"stream_name": "ORDERS", "config": {
        "durable_name": "MAXD", "ack_policy": "explicit", "ack_wait": 300000000, "max_deliver": 1,
        "filter_subject": "orders.eu.0"}})
    inbox2 = nc.new_inbox()
    sub2 = await nc.subscribe(inbox2)
    await nc.publish("$JS.API.CONSUMER.MSG.NEXT.ORDERS.MAXD", json.dumps({"batch": 2, "expires": 1000000000}).encode(), reply=inbox2)
    m1 = await sub2.next_msg(timeout=3)
    await asyncio.sleep(1.0)
    await req("$JS.API.CONSUMER.CREATE.ORDERS.TERM", {"stream_name": "ORDERS", "config": {
        "durable_name": "TERM", "ack_policy": "explicit", "filter_subject": "orders.eu.1"}})
    inbox3 = nc.new_inbox()
    sub3 = await nc.subscribe(inbox3)
    await nc.publish("$JS.API.CONSUMER.MSG.NEXT.ORDERS.TERM", json.dumps({"batch": 1, "no_wait": True}).encode(), reply=inbox3)
    m3 = await sub3.next_msg(timeout=3)
    await nc.publish(m3.reply, b"+TERM not wanted")
    await asyncio.sleep(0.3)

    await req("$JS.API.STREAM.PURGE.ORDERS", {"filter": "orders.eu.2", "keep": 1}, name="stream_purge")
    await req("$JS.API.STREAM.PURGE.WQ", None, name="stream_purge_all")
    await req("$JS.API.CONSUMER.DELETE.ORDERS.PUSH", None, name="consumer_delete")
    await req("$JS.API.CONSUMER.DELETE.ORDERS.PUSH", None, name="err_consumer_delete_not_found")
    await req("$JS.API.STREAM.DELETE.MIR", None, name="stream_delete")
    await req("$JS.API.STREAM.DELETE.MIR", None, name="err_stream_delete_not_found")
    await asyncio.sleep(1.5)

    seen = {}
    for subj, ev in events:
        t = ev.get("type", "").split(".")[-1]
        key = t
        if t in ("stream_action", "consumer_action"):
            key = t + "_" + ev.get("action", "")
        if key not in seen:
            seen[key] = (subj, ev)
    for key, (subj, ev) in seen.items():
        save("advisory_" + key, ev)
    print(sorted(seen))
    await nc.close()

asyncio.run(main())
