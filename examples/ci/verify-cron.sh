#!/bin/sh
# 读网值班的机器部分：每隔几分钟核对网站，被篡改时立即恢复并告警。
# 安装（网站服务器上，以部署用户运行）：
#   install -m 755 examples/ci/verify-cron.sh /usr/local/bin/sanshen-verify-cron
#   crontab -e，加入一行：
#   */5 * * * * SITE_URL=https://www.shiliqu.gov.cn DEPLOY_PUBLIC_KEY=ed25519:… /usr/local/bin/sanshen-verify-cron
#
# 先核对发布日志（链、部署密钥签名的检查点、线上文件与最新记录一致），再按清单核对
# 并恢复被改动的文件。退出码不为 0 表示发现了差异（即使已经恢复）：有人改动过网站，
# 须按应急预案报告、保留日志、排查入侵原因。
set -u

SITE_DIR="${SITE_DIR:-/srv/www/site}"
SITE_URL="${SITE_URL:?请设置 SITE_URL，例如 https://www.shiliqu.gov.cn}"
DEPLOY_PUBLIC_KEY="${DEPLOY_PUBLIC_KEY:?请设置部署公钥 DEPLOY_PUBLIC_KEY=ed25519:…}"
SANSHEN="${SANSHEN:-/usr/local/bin/sanshen}"
LOG="${LOG:-/var/log/sanshen/verify.log}"
ALERT_TO="${ALERT_TO:-}"        # 告警邮箱（需要本机可用的 mail 命令），留空则只写日志

mkdir -p "$(dirname "$LOG")"
report="$(mktemp)"
trap 'rm -f "$report"' EXIT

# 与 sanshen deploy / rollback 共用部署目录的锁：不会在部署进行到一半时核对。
flock -w 120 "$SITE_DIR/.sanshen-deploy.lock" \
  "$SANSHEN" log verify --dir "$SITE_DIR" --key "$DEPLOY_PUBLIC_KEY" >"$report" 2>&1
status=$?
flock -w 120 "$SITE_DIR/.sanshen-deploy.lock" \
  "$SANSHEN" verify --dir "$SITE_DIR/current" --url "$SITE_URL" --restore >>"$report" 2>&1 \
  || status=$?

{
  echo "== $(date '+%Y-%m-%d %H:%M:%S') 退出码 $status"
  cat "$report"
} >>"$LOG"

if [ "$status" -ne 0 ]; then
  logger -t sanshen-verify -p user.crit "网站与发布版本不一致（退出码 $status），详见 $LOG"
  if [ -n "$ALERT_TO" ] && command -v mail >/dev/null 2>&1; then
    mail -s "【网站防篡改告警】$SITE_URL" "$ALERT_TO" <"$report"
  fi
fi
exit "$status"
