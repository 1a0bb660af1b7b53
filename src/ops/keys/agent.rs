//! Signing through ssh-agent (the agent protocol, draft-miller-ssh-agent):
//! the agent at `$SSH_AUTH_SOCK` lists its keys and signs the message with
//! the chosen Ed25519 key; the secret key never reaches sanshen. A plain
//! `ssh-ed25519` signature is an Ed25519 signature of exactly the message,
//! so it is the approval signature as is (spec §8).

use ed25519_dalek::{Signature, VerifyingKey};
use ssh_encoding::{Decode, Encode};
use ssh_key::public::KeyData;
use ssh_key::Algorithm;

use super::Signer;
use crate::diag::Diagnostic;
use crate::gate;

const FAILURE: u8 = 5;
const REQUEST_IDENTITIES: u8 = 11;
const IDENTITIES_ANSWER: u8 = 12;
const SIGN_REQUEST: u8 = 13;
const SIGN_RESPONSE: u8 = 14;
/// Longest agent reply read (a list of many keys fits easily).
const MAX_REPLY: u32 = 256 * 1024;

/// One Ed25519 key of the running agent.
pub(super) struct AgentSigner {
    key: VerifyingKey,
    socket: String,
}

fn err(message: impl Into<String>) -> Diagnostic {
    Diagnostic::new("ssh-agent", message)
}

impl AgentSigner {
    /// The agent's only Ed25519 key, or the one whose fingerprint is `fp`
    /// (`SHA256:…` as `ssh-add -l` prints it, or `ab12 cd34 ef56 7890`).
    pub(super) fn connect(fp: Option<&str>) -> Result<Self, Diagnostic> {
        let socket = std::env::var("SSH_AUTH_SOCK")
            .ok()
            .filter(|s| !s.is_empty())
            .ok_or_else(|| {
                err("没有正在运行的 ssh-agent（环境变量 SSH_AUTH_SOCK 未设置）").help(
                    "先运行 eval $(ssh-agent) 并用 ssh-add 加入 Ed25519 密钥，或改用 --key 私钥文件。",
                )
            })?;
        let keys = identities(&socket)?;
        let wanted = fp.map(|f| f.trim().replace(' ', ""));
        let matches = |k: &VerifyingKey| match &wanted {
            None => true,
            Some(f) => {
                *f == gate::openssh_fingerprint(k) || *f == gate::fingerprint(k).replace(' ', "")
            }
        };
        let chosen: Vec<&VerifyingKey> = keys.iter().filter(|k| matches(k)).collect();
        let list = || {
            keys.iter()
                .map(|k| format!("ssh-agent:{}", gate::openssh_fingerprint(k)))
                .collect::<Vec<_>>()
                .join("、")
        };
        match chosen.as_slice() {
            [one] => Ok(AgentSigner {
                key: **one,
                socket,
            }),
            [] if keys.is_empty() => Err(err("ssh-agent 中没有 Ed25519 密钥").help(
                "用 ssh-add ~/.ssh/id_ed25519 加入密钥（ssh-keygen -t ed25519 生成）；RSA、ECDSA 与 sk-ssh-ed25519 密钥不能用于签署。",
            )),
            [] => Err(err(format!(
                "ssh-agent 中没有指纹为 {} 的 Ed25519 密钥",
                fp.unwrap_or_default()
            ))
            .help(format!("可用的有：{}", list()))),
            _ => Err(err("ssh-agent 中有多把 Ed25519 密钥，不知道用哪一把")
                .help(format!("用 --key 指明其中一把：{}", list()))),
        }
    }
}

impl Signer for AgentSigner {
    fn public(&self) -> VerifyingKey {
        self.key
    }

    fn sign(&self, msg: &[u8]) -> Result<Signature, Diagnostic> {
        let mut body = vec![SIGN_REQUEST];
        let blob = gate::openssh_key_blob(&self.key);
        let encoded = blob
            .encode(&mut body)
            .and_then(|_| msg.encode(&mut body))
            .and_then(|_| 0u32.encode(&mut body));
        encoded.map_err(|e| err(format!("无法编码 ssh-agent 请求：{e}")))?;
        let reply = exchange(&self.socket, &body)?;
        let (&kind, mut rest) = reply
            .split_first()
            .ok_or_else(|| err("ssh-agent 的回复是空的"))?;
        if kind != SIGN_RESPONSE {
            return Err(
                err("ssh-agent 拒绝签署（可能需要在硬件令牌上确认，或密钥已被移出）")
                    .help("用 ssh-add -l 查看代理中的密钥，然后重试。"),
            );
        }
        let sig = Vec::<u8>::decode(&mut rest)
            .ok()
            .and_then(|inner| ssh_key::Signature::decode(&mut inner.as_slice()).ok())
            .ok_or_else(|| err("ssh-agent 返回的签名无法读取"))?;
        if sig.algorithm() != Algorithm::Ed25519 {
            return Err(err(format!(
                "ssh-agent 返回的签名类型是 {}，不是 ssh-ed25519",
                sig.algorithm()
            )));
        }
        let arr: [u8; 64] = sig
            .as_bytes()
            .try_into()
            .map_err(|_| err("ssh-agent 返回的 Ed25519 签名长度不对"))?;
        let signature = Signature::from_bytes(&arr);
        self.key
            .verify_strict(msg, &signature)
            .map_err(|_| err("ssh-agent 返回的签名验证不通过，未使用"))?;
        Ok(signature)
    }

    fn source(&self) -> String {
        format!("ssh-agent（{}）", gate::openssh_fingerprint(&self.key))
    }
}

/// The agent's plain Ed25519 keys (others, `sk-ssh-ed25519` included, are
/// skipped: their signatures are not Ed25519 signatures of the message).
fn identities(socket: &str) -> Result<Vec<VerifyingKey>, Diagnostic> {
    let reply = exchange(socket, &[REQUEST_IDENTITIES])?;
    let bad = || err("ssh-agent 的密钥列表无法读取");
    let (&kind, mut rest) = reply.split_first().ok_or_else(bad)?;
    if kind != IDENTITIES_ANSWER {
        return Err(bad());
    }
    let n = u32::decode(&mut rest).map_err(|_| bad())?;
    let mut out = Vec::new();
    for _ in 0..n {
        let blob = Vec::<u8>::decode(&mut rest).map_err(|_| bad())?;
        let _comment = Vec::<u8>::decode(&mut rest).map_err(|_| bad())?;
        if let Ok(KeyData::Ed25519(k)) = KeyData::decode(&mut blob.as_slice()) {
            if let Ok(key) = VerifyingKey::from_bytes(&k.0) {
                out.push(key);
            }
        }
    }
    Ok(out)
}

/// Send one request (`body` without its length) and read the reply body.
#[cfg(unix)]
fn exchange(socket: &str, body: &[u8]) -> Result<Vec<u8>, Diagnostic> {
    use std::io::{Read, Write};
    let io = |e: std::io::Error| {
        err(format!("无法与 ssh-agent（{socket}）通信：{e}"))
            .help("确认 ssh-agent 正在运行，SSH_AUTH_SOCK 指向它的套接字。")
    };
    let mut stream = std::os::unix::net::UnixStream::connect(socket).map_err(io)?;
    let len = u32::try_from(body.len()).map_err(|_| err("签署的内容过大"))?;
    stream.write_all(&len.to_be_bytes()).map_err(io)?;
    stream.write_all(body).map_err(io)?;
    let mut head = [0u8; 4];
    stream.read_exact(&mut head).map_err(io)?;
    let len = u32::from_be_bytes(head);
    if len > MAX_REPLY {
        return Err(err("ssh-agent 的回复过长"));
    }
    let mut reply = vec![0u8; len as usize];
    stream.read_exact(&mut reply).map_err(io)?;
    if reply.first() == Some(&FAILURE) && body.first() == Some(&REQUEST_IDENTITIES) {
        return Err(err("ssh-agent 拒绝列出密钥"));
    }
    Ok(reply)
}

#[cfg(not(unix))]
fn exchange(_socket: &str, _body: &[u8]) -> Result<Vec<u8>, Diagnostic> {
    Err(err("本系统上不支持 ssh-agent 签署").help("改用 --key 私钥文件。"))
}
