//! The router's fan-out, observed through outbound buffers and internal channels.

use std::sync::Arc;

use natrium_core::{internal_channel, Account, ClientHandle, Message, Publisher};

fn drain(client: &ClientHandle) -> String {
    let mut chunks = Vec::new();
    client.outbound.take(&mut chunks);
    String::from_utf8(chunks.concat()).unwrap()
}

fn msg<'a>(subject: &'a str, reply: Option<&'a str>, payload: &'a str) -> Message<'a> {
    Message {
        subject: subject.as_bytes(),
        reply: reply.map(str::as_bytes),
        headers: None,
        payload: payload.as_bytes(),
    }
}

#[test]
fn internal_subscribers_get_an_owned_copy_and_answer_through_the_router() {
    let account = Account::new("$G");
    let (tx, mut rx) = internal_channel();
    let api = Arc::new(ClientHandle::new_internal(1, tx));
    account.subscribe(&api, b"$JS.API.>", None, b"api").unwrap();
    let client = Arc::new(ClientHandle::new(2, 1 << 20));
    account.subscribe(&client, b"_INBOX.x", None, b"7").unwrap();

    let mut p = Publisher::new(1);
    let mut request = msg("$JS.API.INFO", Some("_INBOX.x"), "{}");
    let headers = b"NATS/1.0\r\nA: b\r\n\r\n";
    request.headers = Some(headers);
    assert_eq!(account.publish(Some(&client), &request, &mut p), 1);
    let got = rx
        .try_recv()
        .expect("the internal subscriber got the request");
    assert_eq!(&got.sid[..], b"api");
    assert_eq!(&got.subject[..], b"$JS.API.INFO");
    assert_eq!(got.reply.as_deref(), Some(&b"_INBOX.x"[..]));
    assert_eq!(got.headers.as_deref(), Some(&headers[..]));
    assert_eq!(&got.payload[..], b"{}");
    assert_eq!(got.client_id, Some(2));

    let mut server_side = Publisher::new(2);
    account.publish(None, &msg("_INBOX.x", None, "resp"), &mut server_side);
    server_side.wakes.flush();
    assert_eq!(drain(&client), "MSG _INBOX.x 7 4\r\nresp\r\n");
}

#[test]
fn a_full_internal_channel_drops_instead_of_blocking_the_publisher() {
    let account = Account::new("$G");
    let (tx, mut rx) = tokio::sync::mpsc::channel(1);
    let handler = Arc::new(ClientHandle::new_internal(1, tx));
    account
        .subscribe(&handler, b"work", Some(b"q"), b"w")
        .unwrap();
    let mut p = Publisher::new(3);
    account.publish(None, &msg("work", None, "1"), &mut p);
    account.publish(None, &msg("work", None, "2"), &mut p);
    assert_eq!(&rx.try_recv().unwrap().payload[..], b"1");
    assert!(rx.try_recv().is_err(), "the second message was dropped");
}

#[test]
fn queue_groups_echo_and_unsub_max() {
    let account = Account::new("$G");
    let quiet = Arc::new(ClientHandle::new(1, 1 << 20));
    quiet.set_connect_options(false, false);
    let a = Arc::new(ClientHandle::new(2, 1 << 20));
    let b = Arc::new(ClientHandle::new(3, 1 << 20));
    account.subscribe(&quiet, b"e", None, b"1").unwrap();
    account.subscribe(&a, b"q.*", Some(b"g"), b"1").unwrap();
    account.subscribe(&b, b"q.*", Some(b"g"), b"1").unwrap();
    account.subscribe(&a, b"max", None, b"2").unwrap();
    account.unsubscribe(&a, b"2", Some(2));

    let mut p = Publisher::new(4);
    account.publish(Some(&quiet), &msg("e", None, "own"), &mut p);
    assert_eq!(drain(&quiet), "", "echo off: no own messages");
    account.publish(Some(&a), &msg("e", None, "x"), &mut p);
    assert_eq!(drain(&quiet), "MSG e 1 1\r\nx\r\n");

    for _ in 0..100 {
        account.publish(None, &msg("q.1", None, "m"), &mut p);
    }
    let (na, nb) = (
        drain(&a).matches("MSG").count(),
        drain(&b).matches("MSG").count(),
    );
    assert_eq!(na + nb, 100, "each message to exactly one member");
    assert!(na > 20 && nb > 20, "spread: {na}/{nb}");

    for _ in 0..3 {
        account.publish(None, &msg("max", None, "m"), &mut p);
    }
    assert_eq!(drain(&a).matches("MSG max 2").count(), 2);
    assert_eq!(
        a.subscription_count(),
        1,
        "the used-up subscription is gone"
    );
}

#[test]
fn a_peer_gets_one_rmsg_per_message_naming_the_queue_groups_chosen_for_it() {
    let account = Account::new("$G");
    let route = Arc::new(ClientHandle::new_route(1, 1 << 20));
    account.subscribe_remote(&route, b"foo.*", None).unwrap();
    account.subscribe_remote(&route, b"foo.>", None).unwrap();
    account
        .subscribe_remote(&route, b"foo.bar", Some((b"q", 3)))
        .unwrap();
    let client = Arc::new(ClientHandle::new(2, 1 << 20));

    let mut p = Publisher::new(7);
    assert_eq!(
        account.publish(Some(&client), &msg("foo.bar", Some("r"), "hello"), &mut p),
        3
    );
    assert_eq!(drain(&route), "RMSG $G foo.bar + r q 5\r\nhello\r\n");
    account.publish(Some(&client), &msg("foo.x.y", None, "hi"), &mut p);
    assert_eq!(drain(&route), "RMSG $G foo.x.y 2\r\nhi\r\n");

    account.unsubscribe_remote(&route, b"foo.>", None);
    account.publish(Some(&client), &msg("foo.x.y", None, "gone"), &mut p);
    assert_eq!(drain(&route), "");
}

#[test]
fn a_routed_message_reaches_local_subscribers_only_and_listed_queue_groups() {
    let account = Account::new("$G");
    let from = Arc::new(ClientHandle::new_route(1, 1 << 20));
    let other = Arc::new(ClientHandle::new_route(2, 1 << 20));
    account.subscribe_remote(&other, b"job", None).unwrap();
    let local = Arc::new(ClientHandle::new(3, 1 << 20));
    account.subscribe(&local, b"job", None, b"1").unwrap();
    account.subscribe(&local, b"job", Some(b"w"), b"2").unwrap();
    account.subscribe(&local, b"job", Some(b"v"), b"3").unwrap();

    let mut p = Publisher::new(7);
    account.publish_routed(&from, &msg("job", None, "a"), &[b"w"], &mut p);
    assert_eq!(drain(&local), "MSG job 1 1\r\na\r\nMSG job 2 1\r\na\r\n");
    assert_eq!(drain(&other), "", "never forwarded to another route");
    account.publish_routed(&from, &msg("job", None, "b"), &[], &mut p);
    assert_eq!(drain(&local), "MSG job 1 1\r\nb\r\n");
}

/// Delivery rules that refuse one subject and note the requests delivered.
#[derive(Debug, Default)]
struct RefuseSecret {
    requests: parking_lot::Mutex<Vec<Vec<u8>>>,
}

impl natrium_core::DeliveryRules for RefuseSecret {
    fn may_deliver(&self, subject: &[u8], _queue: Option<&[u8]>) -> bool {
        subject != b"jobs.secret"
    }

    fn request_delivered(&self, reply: &[u8]) {
        self.requests.lock().push(reply.to_vec());
    }
}

#[test]
fn delivery_rules_withhold_refused_messages_and_see_requests() {
    let account = Account::new("$G");
    let rules = Arc::new(RefuseSecret::default());
    let limited = Arc::new(ClientHandle::new(1, 1 << 20));
    assert!(limited.set_delivery_rules(Arc::clone(&rules) as _));
    let other = Arc::new(ClientHandle::new(2, 1 << 20));
    account.subscribe(&limited, b"jobs.*", None, b"1").unwrap();
    account.subscribe(&other, b"jobs.*", None, b"2").unwrap();
    let mut p = Publisher::new(3);
    account.publish(None, &msg("jobs.secret", None, "s"), &mut p);
    account.publish(None, &msg("jobs.open", Some("r.1"), "o"), &mut p);
    assert_eq!(drain(&limited), "MSG jobs.open 1 r.1 1\r\no\r\n");
    assert_eq!(
        drain(&other),
        "MSG jobs.secret 2 1\r\ns\r\nMSG jobs.open 2 r.1 1\r\no\r\n"
    );
    assert_eq!(*rules.requests.lock(), vec![b"r.1".to_vec()]);
}

#[test]
fn a_queue_member_whose_rules_refuse_passes_the_message_on() {
    let account = Account::new("$G");
    let limited = Arc::new(ClientHandle::new(1, 1 << 20));
    limited.set_delivery_rules(Arc::new(RefuseSecret::default()));
    let other = Arc::new(ClientHandle::new(2, 1 << 20));
    account
        .subscribe(&limited, b"jobs.*", Some(b"q"), b"1")
        .unwrap();
    account
        .subscribe(&other, b"jobs.*", Some(b"q"), b"2")
        .unwrap();
    for seed in 1..20 {
        let mut p = Publisher::new(seed);
        account.publish(None, &msg("jobs.secret", None, "s"), &mut p);
    }
    assert_eq!(drain(&limited), "");
    assert_eq!(drain(&other).matches("MSG jobs.secret 2 1").count(), 19);
}
