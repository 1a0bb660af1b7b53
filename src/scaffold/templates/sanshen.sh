#!/usr/bin/env bash
# 三审（sanshen）发布流水线的步骤。由 sanshen init 生成；GitLab CI（.gitlab-ci.yml）
# 与 GitHub Actions（.github/workflows/publish.yml）都只调用本脚本，所以两处的步骤
# 完全相同，也可以在本机用同样的变量逐步演练（见 README.md“在本机演练发布流水线”）。
#
#   bash ci/sanshen.sh install   下载固定版本的 sanshen，核对 SHA-256，不符即失败
#   bash ci/sanshen.sh build     构建任务：安装 → 审核报告 → 严格构建（环境中不得有私钥）
#   bash ci/sanshen.sh deploy    部署任务（网站服务器上）：安装 → 部署并写发布日志 → 核对
#
# 工作方式（见用户手册“工作方式”一章）：编辑和审核人都把提交推送到 main；待审的文章
# 只是不发布，能否发布由审核签名决定，不由合并决定。每次推送到 main，以及每小时一次的
# 定时运行（发布 publish_at 已到的文章、下线 expires_at 已过的文章，按系统时钟判定），
# 都执行同样的构建与部署。
#
# sanshen 从不由本仓库编译：只使用 SANSHEN_URL 处的发布版本，并按 CI 文件中写明的
# SANSHEN_SHA256 核对。
#
# 变量（CI 文件中声明的，或在 CI 设置中添加的）：
#   SANSHEN_VERSION     固定的 sanshen 版本，例如 0.1.0
#   SANSHEN_URL         该版本可执行文件的下载地址（本单位的镜像）
#   SANSHEN_SHA256      该文件的 SHA-256（64 位十六进制）
#   SITE_URL            网站首页网址，例如 https://www.example.gov.cn
#   SANSHEN_TRUST_ROOT  （构建）信任根，公开值：ed25519:… 或 roots:sha256:…（见 ROOT-CEREMONY.md）
#   SANSHEN_LOG         （构建，可选）发布前核对的发布日志：网站网址或部署目录，默认为 SITE_URL
#   SANSHEN_FIRST_RELEASE （构建，可选）设为 1 表示网站首次发布、还没有发布日志，本次不核对；
#                       首次发布成功后删除该变量
#   SANSHEN_DEPLOY_DIR  （部署）部署目录，默认 /srv/www/site；网站服务器的根目录设为其中的 current
#   DEPLOY_KEY_FILE     （部署）部署私钥文件（GitLab “文件”类型变量）；
#   DEPLOY_KEY            或者：部署私钥 PEM 全文（GitHub secret），脚本写入临时文件，用后删除
#   DEPLOY_PUBLIC_KEY   （部署）部署公钥 ed25519:…，用于核对发布日志
#   SANSHEN_KEEP        （部署，可选）保留最近多少个版本，默认 10
#   SANSHEN_SCHEDULED   （部署，由 CI 文件设置）1 表示这是每小时的定时运行：网站文件与正在
#                       提供服务的版本完全相同时不部署，只核对（否则每小时多出一个相同的版本，
#                       挤掉可以回滚的旧版本）
#   SANSHEN_TOOLS       （可选）sanshen 的安装目录，默认 .sanshen-tools

set -euo pipefail

tools="${SANSHEN_TOOLS:-.sanshen-tools}"
bin="$tools/sanshen"

fail() {
  printf '错误：%s\n' "$*" >&2
  exit 1
}

# 下载固定版本并核对；核对之前不执行下载的文件。
install_tool() {
  : "${SANSHEN_VERSION:?请设置 SANSHEN_VERSION（固定的 sanshen 版本）}"
  : "${SANSHEN_URL:?请设置 SANSHEN_URL（sanshen 可执行文件的下载地址）}"
  : "${SANSHEN_SHA256:?请设置 SANSHEN_SHA256（该文件的 SHA-256）}"
  case "$SANSHEN_URL" in
    *example.invalid*)
      fail "SANSHEN_URL 还是占位地址（$SANSHEN_URL）：请换成本单位镜像中 sanshen $SANSHEN_VERSION 的下载地址，并核对 SANSHEN_SHA256。" ;;
  esac
  if [ "${#SANSHEN_SHA256}" -ne 64 ] || [ -n "$(printf '%s' "$SANSHEN_SHA256" | tr -d '0-9a-f')" ]; then
    fail "SANSHEN_SHA256 应为 64 位小写十六进制（sha256sum 的输出），现在是：$SANSHEN_SHA256"
  fi
  if [ -z "$(printf '%s' "$SANSHEN_SHA256" | tr -d '0')" ]; then
    fail "SANSHEN_SHA256 还是占位值：请写入 SANSHEN_URL 处文件的 SHA-256（sha256sum 计算，由信息中心核对）。"
  fi
  mkdir -p "$tools"
  local download="$tools/sanshen.download"
  rm -f "$download" "$bin"
  curl --fail --silent --show-error --location --retry 3 --output "$download" "$SANSHEN_URL" \
    || fail "无法下载 $SANSHEN_URL"
  if ! printf '%s  %s\n' "$SANSHEN_SHA256" "$download" | sha256sum -c - >/dev/null; then
    local actual
    actual="$(sha256sum "$download" | cut -d ' ' -f 1)"
    rm -f "$download"
    fail "下载的文件与 SANSHEN_SHA256 不一致：应为 $SANSHEN_SHA256，实际为 $actual。拒绝使用（文件可能被替换或损坏）；确认镜像中的文件无误后再修改 CI 文件中的 SANSHEN_SHA256。"
  fi
  chmod 755 "$download"
  mv "$download" "$bin"
  local version
  version="$("$bin" --version)"
  [ "$version" = "sanshen $SANSHEN_VERSION" ] \
    || fail "下载的 sanshen 版本是“$version”，CI 文件写的是 $SANSHEN_VERSION：请核对 SANSHEN_URL 与 SANSHEN_VERSION。"
  echo "已安装 sanshen $SANSHEN_VERSION（SHA-256 核对一致：$SANSHEN_SHA256）"
}

# 构建任务：环境中只有公开值（信任根），没有任何私钥。
build() {
  local name
  for name in DEPLOY_KEY DEPLOY_KEY_FILE; do
    if [ -n "${!name:-}" ]; then
      fail "构建任务的环境中出现了部署私钥（$name）：私钥只能给部署任务。GitLab：把该变量的“环境范围”设为 production；GitHub：把它放在 production 环境的 secrets 中。"
    fi
  done
  : "${SANSHEN_TRUST_ROOT:?请在 CI 设置中添加 SANSHEN_TRUST_ROOT（信任根 ed25519:… 或 roots:sha256:…，见 ROOT-CEREMONY.md）}"
  install_tool
  # 审核报告：有待审文章时 status 的退出码为 1，这里只出报告，能否发布由严格构建决定。
  "$bin" status --rev HEAD | tee status.txt || true
  local args=(build --rev HEAD --strict)
  if [ "${SANSHEN_FIRST_RELEASE:-}" = 1 ]; then
    echo "注意：SANSHEN_FIRST_RELEASE=1，本次构建不核对发布日志（只用于网站首次发布；部署时仍按部署目录中的发布日志检查）。"
  else
    args+=(--log "${SANSHEN_LOG:-${SITE_URL:?请设置 SITE_URL（网站首页网址）}}")
  fi
  "$bin" "${args[@]}" | tee build.txt
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    { echo '## 本次构建'; echo '```'; cat status.txt build.txt; echo '```'; } >>"$GITHUB_STEP_SUMMARY"
  fi
}

# 部署任务：在网站服务器上运行，部署私钥只在这里出现。
deploy() {
  : "${SITE_URL:?请设置 SITE_URL（网站首页网址）}"
  : "${DEPLOY_PUBLIC_KEY:?请设置 DEPLOY_PUBLIC_KEY（部署公钥 ed25519:…）}"
  local dir="${SANSHEN_DEPLOY_DIR:-/srv/www/site}"
  local key="${DEPLOY_KEY_FILE:-}"
  if [ -z "$key" ]; then
    [ -n "${DEPLOY_KEY:-}" ] || fail "请提供部署私钥：DEPLOY_KEY_FILE（私钥文件）或 DEPLOY_KEY（私钥 PEM 全文）。"
    key_file="$(mktemp "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/sanshen-deploy.XXXXXX")"
    trap 'rm -f "$key_file"' EXIT
    printf '%s\n' "$DEPLOY_KEY" >"$key_file"
    key="$key_file"
  fi
  install_tool
  if [ "${SANSHEN_SCHEDULED:-}" = 1 ] && [ -e "$dir/current" ] \
    && "$bin" verify --dir "$dir/current" --manifest public.manifest.json >/dev/null 2>&1; then
    echo "定时运行：网站文件与正在提供服务的版本完全相同（没有到时发布或到期下线的文章），本次不部署，只核对。"
  else
    "$bin" deploy --from public --to "$dir" --log-key "$key" --keep "${SANSHEN_KEEP:-10}"
  fi
  "$bin" releases --to "$dir"
  # 部署后立即核对：发布日志（链、签名、线上文件），再核对服务器目录与网站实际返回的内容。
  "$bin" log verify --dir "$dir" --key "$DEPLOY_PUBLIC_KEY"
  "$bin" verify --dir "$dir/current" --url "$SITE_URL"
}

case "${1:-}" in
  install) install_tool ;;
  build) build ;;
  deploy) deploy ;;
  *) fail "用法：bash ci/sanshen.sh install|build|deploy" ;;
esac
