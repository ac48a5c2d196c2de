//! Uses each system library for real: a TLS handshake with OpenSSL (a server and a client
//! in-process, over loopback, with a certificate made here), libpq's version and TLS library,
//! a query of SQLite, and a document parsed by libxml2.
use std::ffi::{CStr, CString};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};

use openssl::asn1::Asn1Time;
use openssl::ec::{EcGroup, EcKey};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::PKey;
use openssl::ssl::{SslAcceptor, SslConnector, SslMethod};
use openssl::x509::extension::SubjectAlternativeName;
use openssl::x509::{X509NameBuilder, X509};

/// A TLS handshake between a server and a client of this process, over loopback.
fn tls() -> String {
    let key = PKey::from_ec_key(EcKey::generate(&EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).unwrap()).unwrap()).unwrap();
    let mut name = X509NameBuilder::new().unwrap();
    name.append_entry_by_text("CN", "localhost").unwrap();
    let name = name.build();
    let mut cert = X509::builder().unwrap();
    cert.set_version(2).unwrap();
    cert.set_subject_name(&name).unwrap();
    cert.set_issuer_name(&name).unwrap();
    cert.set_pubkey(&key).unwrap();
    cert.set_not_before(&Asn1Time::days_from_now(0).unwrap()).unwrap();
    cert.set_not_after(&Asn1Time::days_from_now(1).unwrap()).unwrap();
    let san = SubjectAlternativeName::new().dns("localhost").build(&cert.x509v3_context(None, None)).unwrap();
    cert.append_extension(san).unwrap();
    cert.sign(&key, MessageDigest::sha256()).unwrap();
    let cert = cert.build();

    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let mut acceptor = SslAcceptor::mozilla_intermediate_v5(SslMethod::tls()).unwrap();
    acceptor.set_private_key(&key).unwrap();
    acceptor.set_certificate(&cert).unwrap();
    let acceptor = acceptor.build();
    let server = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut tls = acceptor.accept(stream).unwrap();
        let mut ping = [0u8; 4];
        tls.read_exact(&mut ping).unwrap();
        tls.write_all(b"pong").unwrap();
    });

    let mut connector = SslConnector::builder(SslMethod::tls()).unwrap();
    connector.cert_store_mut().add_cert(cert).unwrap();
    let mut tls = connector.build().connect("localhost", TcpStream::connect(addr).unwrap()).unwrap();
    tls.write_all(b"ping").unwrap();
    let mut pong = [0u8; 4];
    tls.read_exact(&mut pong).unwrap();
    server.join().unwrap();
    let cipher = tls.ssl().current_cipher().unwrap().name();
    format!("{} {} {} {}", openssl::version::version(), tls.ssl().version_str(), cipher, String::from_utf8_lossy(&pong))
}

/// libpq's version, and the TLS library it was built with (none: TLS is not compiled in).
fn libpq() -> String {
    let version = unsafe { pq_sys::PQlibVersion() };
    let attribute = CString::new("library").unwrap();
    let library = unsafe { pq_sys::PQsslAttribute(std::ptr::null_mut(), attribute.as_ptr()) };
    let library = if library.is_null() { "none".to_string() } else { unsafe { CStr::from_ptr(library) }.to_string_lossy().into_owned() };
    format!("libpq {version} with TLS from {library}")
}

/// SQLite's version, from the library and from a query.
fn sqlite() -> String {
    use libsqlite3_sys::*;
    unsafe {
        let mut db = std::ptr::null_mut();
        let memory = CString::new(":memory:").unwrap();
        assert_eq!(sqlite3_open(memory.as_ptr(), &mut db), SQLITE_OK);
        let sql = CString::new("SELECT sqlite_version()").unwrap();
        let mut stmt = std::ptr::null_mut();
        assert_eq!(sqlite3_prepare_v2(db, sql.as_ptr(), -1, &mut stmt, std::ptr::null_mut()), SQLITE_OK);
        assert_eq!(sqlite3_step(stmt), SQLITE_ROW);
        let selected = CStr::from_ptr(sqlite3_column_text(stmt, 0) as *const _).to_string_lossy().into_owned();
        sqlite3_finalize(stmt);
        sqlite3_close(db);
        format!("sqlite {} selected {}", CStr::from_ptr(sqlite3_libversion()).to_string_lossy(), selected)
    }
}

/// A document parsed by libxml2: the root's name and the text of its children.
fn libxml2() -> String {
    let doc = libxml::parser::Parser::default().parse_string("<kitchen><dish>soup</dish><dish>bread</dish></kitchen>").unwrap();
    let root = doc.get_root_element().unwrap();
    let dishes: Vec<String> = root.get_child_elements().iter().map(|n| n.get_content()).collect();
    format!("libxml2 parsed <{}> with {}", root.get_name(), dishes.join(", "))
}

fn main() {
    println!("l-target-libs {}", tls());
    println!("l-target-libs {}", libpq());
    println!("l-target-libs {}", sqlite());
    println!("l-target-libs {}", libxml2());
}
