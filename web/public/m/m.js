// The member's own pages 会员中心: join by a store's code, sign in by SMS code, the member card
// with a rotating code for the till, profile, opt-ins, data download and deletion request.
// Plain script, no framework: it has to load fast on a phone in the WeChat browser.
(function () {
  'use strict';

  var T = {
    'zh-CN': {
      brand: '会员中心', lang: 'EN', join: '加入会员', joinAt: '加入 {store} 会员', guide: '专属导购：{name}',
      phone: '手机号', code: '验证码', sendCode: '获取验证码', resend: '{s} 秒后重发', codeSent: '验证码已发送',
      name: '姓名（选填）', gender: '性别（选填）', male: '男', female: '女', unknown: '不透露', birthday: '生日（选填）',
      email: '邮箱（选填）', address: '地址（选填）', agree: '我已阅读并同意《隐私政策》', optSms: '同意接收短信优惠（可随时退订）',
      optEmail: '同意接收邮件优惠（可随时退订）', submitJoin: '同意并加入', signIn: '登录会员中心', submitSignIn: '登录',
      welcomeBack: '欢迎回来，您已是会员', points: '积分', expiring: '{n} 分将于 30 天内到期', tier: '等级',
      noTier: '普通会员', toNext: '再消费 ¥{v} 升级为 {name}', toNextCount: '再购物 {v} 次升级为 {name}',
      memberCode: '会员码', codeHint: '结账时出示给收银员，每分钟自动刷新', coupons: '优惠券', noCoupons: '暂无可用优惠券',
      validUntil: '有效期至 {d}', purchases: '消费记录', noPurchases: '还没有消费记录', events: '会员活动',
      noEvents: '近期没有活动', register: '报名', registered: '已报名', attended: '已签到', full: '已满',
      profile: '个人资料', privacy: '隐私与数据', save: '保存', saved: '已保存', signOut: '退出登录',
      signOutAll: '退出所有设备', optins: '营销消息', download: '下载我的数据（JSON）', viewData: '查看我的数据',
      deletion: '申请注销会员', deletionReason: '原因（选填）', deletionSent: '注销申请已提交，处理结果将短信通知您',
      deletionPending: '注销申请处理中', confirmDelete: '注销后您的个人信息将被删除且无法恢复，确定申请吗？',
      back: '返回', retry: '出错了，请重试', required: '请填写', needAgree: '请先同意隐私政策',
      memberNo: '会员号', placesLeft: '剩余 {n} 个名额'
    },
    en: {
      brand: 'Member centre', lang: '中文', join: 'Join', joinAt: 'Join {store}', guide: 'Your guide: {name}',
      phone: 'Mobile number', code: 'Code', sendCode: 'Send code', resend: 'Resend in {s}s', codeSent: 'Code sent',
      name: 'Name (optional)', gender: 'Gender (optional)', male: 'Male', female: 'Female', unknown: 'Prefer not to say',
      birthday: 'Birthday (optional)', email: 'Email (optional)', address: 'Address (optional)', agree: 'I have read and accept the privacy notice',
      optSms: 'Send me offers by SMS (unsubscribe any time)', optEmail: 'Send me offers by email (unsubscribe any time)',
      submitJoin: 'Accept and join', signIn: 'Sign in', submitSignIn: 'Sign in', welcomeBack: 'Welcome back — you are a member already',
      points: 'Points', expiring: '{n} points expire within 30 days', tier: 'Tier', noTier: 'Member',
      toNext: 'Spend ¥{v} more to reach {name}', toNextCount: '{v} more purchases to reach {name}',
      memberCode: 'Member code', codeHint: 'Show it at the till; it changes every minute', coupons: 'Coupons',
      noCoupons: 'No coupons right now', validUntil: 'Valid until {d}', purchases: 'Purchases', noPurchases: 'No purchases yet',
      events: 'Member events', noEvents: 'No events coming up', register: 'Register', registered: 'Registered',
      attended: 'Checked in', full: 'Full', profile: 'Profile', privacy: 'Privacy & data', save: 'Save', saved: 'Saved',
      signOut: 'Sign out', signOutAll: 'Sign out everywhere', optins: 'Marketing messages', download: 'Download my data (JSON)',
      viewData: 'View my data', deletion: 'Delete my membership', deletionReason: 'Reason (optional)',
      deletionSent: 'Request sent; we will tell you the outcome by SMS', deletionPending: 'Deletion request in progress',
      confirmDelete: 'Your personal data will be deleted for good. Ask for deletion?', back: 'Back',
      retry: 'Something went wrong; try again', required: 'Required', needAgree: 'Please accept the privacy notice first',
      memberNo: 'Member no.', placesLeft: '{n} places left'
    }
  };
  var lang = localStorage.getItem('storecrm.m.lang') || (navigator.language && navigator.language.indexOf('zh') === 0 ? 'zh-CN' : 'zh-CN');
  var csrf = '';
  var app = document.getElementById('app');
  var codeTimer = null;

  function t(key, args) {
    var s = (T[lang] && T[lang][key]) || T['zh-CN'][key] || key;
    Object.keys(args || {}).forEach(function (k) { s = s.replace('{' + k + '}', args[k]); });
    return s;
  }
  function esc(v) {
    return String(v == null ? '' : v).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  function yuan(fen) { return (fen / 100).toFixed(2); }
  function day(iso) { return iso ? new Date(iso).toLocaleDateString(lang) : ''; }

  function api(method, path, body) {
    var headers = { 'Accept-Language': lang };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
    return fetch('/api/v1/portal' + path, { method: method, headers: headers, credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body) })
      .then(function (r) {
        if (r.status === 204) return { status: 204, body: null };
        return r.json().then(function (b) { return { status: r.status, body: b }; }, function () { return { status: r.status, body: null }; });
      });
  }

  // Shows the server's field messages under the inputs named like the fields.
  function showErrors(form, res) {
    form.querySelectorAll('.err').forEach(function (e) { e.textContent = ''; });
    var err = res.body && res.body.error;
    if (!err) return;
    var shown = false;
    (err.fields || []).forEach(function (f) {
      var slot = form.querySelector('[data-err="' + f.field + '"]');
      if (slot) { slot.textContent = f.message; shown = true; }
    });
    if (!shown) form.querySelector('[data-err="form"]').textContent = err.message || t('retry');
  }

  function go(path) { history.pushState(null, '', path); route(); }
  window.addEventListener('popstate', route);
  document.getElementById('lang').addEventListener('click', function () {
    lang = lang === 'en' ? 'zh-CN' : 'en';
    localStorage.setItem('storecrm.m.lang', lang);
    route();
  });

  function phoneAndCode(prefix) {
    return '<label for="phone">' + t('phone') + '</label><input id="phone" type="tel" name="phone" autocomplete="tel" inputmode="tel">' +
      '<div class="err" data-err="phone"></div>' +
      '<label for="code">' + t('code') + '</label><div class="row"><input id="code" type="text" name="code" inputmode="numeric" maxlength="6" autocomplete="one-time-code">' +
      '<button type="button" class="secondary" id="send">' + t('sendCode') + '</button></div><div class="err" data-err="code"></div>' + (prefix || '');
  }

  function wireSendCode(form) {
    var send = form.querySelector('#send');
    send.addEventListener('click', function () {
      api('POST', '/otp', { phone: form.phone.value.trim() }).then(function (res) {
        showErrors(form, res);
        if (res.status !== 202) return;
        form.querySelector('[data-err="code"]').innerHTML = '<span class="ok">' + t('codeSent') + '</span>';
        var left = 60;
        send.disabled = true;
        var timer = setInterval(function () {
          left -= 1;
          send.textContent = t('resend', { s: left });
          if (left <= 0) { clearInterval(timer); send.disabled = false; send.textContent = t('sendCode'); }
        }, 1000);
      });
    });
  }

  function joinPage(token) {
    fetch('/api/v1/portal/join/' + encodeURIComponent(token), { headers: { 'Accept-Language': lang } })
      .then(function (r) { return r.json().then(function (b) { return { status: r.status, body: b }; }); })
      .then(function (res) {
        if (res.status !== 200) { app.innerHTML = '<div class="card"><p>' + esc(res.body.error.message) + '</p></div>'; return; }
        var j = res.body;
        app.innerHTML = '<form class="card" id="join" novalidate><h1>' + esc(t('joinAt', { store: j.store.name })) + '</h1>' +
          (j.guide ? '<p class="muted">' + esc(t('guide', { name: j.guide.name })) + '</p>' : '') +
          phoneAndCode() +
          '<label for="name">' + t('name') + '</label><input id="name" type="text" name="name" autocomplete="name"><div class="err" data-err="name"></div>' +
          '<label for="gender">' + t('gender') + '</label><select id="gender" name="gender"><option value="unknown">' + t('unknown') +
          '</option><option value="female">' + t('female') + '</option><option value="male">' + t('male') + '</option></select>' +
          '<label for="birthday">' + t('birthday') + '</label><input id="birthday" type="date" name="birthday"><div class="err" data-err="birthday"></div>' +
          '<div class="notice" id="notice">' + esc(j.privacy.text) + '</div>' +
          '<label class="check"><input type="checkbox" name="agree" id="agree">' + t('agree') + '</label><div class="err" data-err="privacy_version"></div>' +
          '<label class="check"><input type="checkbox" name="sms" id="opt-sms">' + t('optSms') + '</label>' +
          '<label class="check"><input type="checkbox" name="email_opt" id="opt-email">' + t('optEmail') + '</label>' +
          '<div class="err" data-err="form"></div><button class="full" type="submit">' + t('submitJoin') + '</button></form>';
        var form = document.getElementById('join');
        wireSendCode(form);
        form.addEventListener('submit', function (e) {
          e.preventDefault();
          if (!form.agree.checked) { form.querySelector('[data-err="privacy_version"]').textContent = t('needAgree'); return; }
          var body = { phone: form.phone.value.trim(), code: form.code.value.trim(), join_token: token,
            privacy_version: j.privacy.version, gender: form.gender.value, consents: { sms: form.sms.checked, email: form.email_opt.checked } };
          if (form.name.value.trim()) body.name = form.name.value.trim();
          if (form.birthday.value) body.birthday = form.birthday.value;
          api('POST', '/session', body).then(function (res) {
            if (res.status === 200 || res.status === 201) {
              csrf = res.body.csrf_token;
              if (res.body.recognised) sessionStorage.setItem('storecrm.m.flash', t('welcomeBack'));
              go('/m/');
            } else showErrors(form, res);
          });
        });
      });
  }

  function signInPage() {
    app.innerHTML = '<form class="card" id="signin" novalidate><h1>' + t('signIn') + '</h1>' + phoneAndCode() +
      '<div class="err" data-err="form"></div><button class="full" type="submit">' + t('submitSignIn') + '</button></form>';
    var form = document.getElementById('signin');
    wireSendCode(form);
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      api('POST', '/session', { phone: form.phone.value.trim(), code: form.code.value.trim() }).then(function (res) {
        if (res.status === 200) { csrf = res.body.csrf_token; go('/m/'); } else showErrors(form, res);
      });
    });
  }

  function loadCard(then) {
    api('GET', '/me').then(function (res) {
      if (res.status === 401) { signInPage(); return; }
      if (res.status !== 200) { app.innerHTML = '<p>' + t('retry') + '</p>'; return; }
      csrf = res.body.csrf_token;
      then(res.body);
    });
  }

  function refreshCode() {
    var img = document.getElementById('member-qr');
    if (!img) { clearInterval(codeTimer); return; }
    api('GET', '/me/code').then(function (res) {
      if (res.status !== 200) return;
      img.src = '/api/v1/portal/me/code.svg?c=' + encodeURIComponent(res.body.code);
      document.getElementById('member-code').textContent = res.body.code;
    });
  }

  function tierLine(tier) {
    if (!tier || !tier.next) return '';
    var v = tier.qualify_by === 'purchases' ? t('toNextCount', { v: tier.remaining, name: tier.next.name })
      : t('toNext', { v: yuan(tier.remaining), name: tier.next.name });
    var pct = tier.threshold ? Math.min(100, Math.round(tier.value * 100 / tier.threshold)) : 0;
    return '<p class="muted" style="color:#fff">' + esc(v) + '</p><div class="progress"><i style="width:' + pct + '%"></i></div>';
  }

  function cardPage() {
    loadCard(function (me) {
      var flash = sessionStorage.getItem('storecrm.m.flash');
      sessionStorage.removeItem('storecrm.m.flash');
      var m = me.member;
      var html = (flash ? '<div class="card ok" id="flash">' + esc(flash) + '</div>' : '') +
        '<section class="card member"><div>' + esc(m.name || m.member_no) + ' · ' + esc(m.store_name) + '</div>' +
        '<div class="muted" style="color:#fff">' + t('memberNo') + ' ' + esc(m.member_no) + ' · ' + t('tier') + ' ' +
        esc(me.tier && me.tier.current ? me.tier.current.name : t('noTier')) + '</div>' +
        '<div>' + t('points') + ' <span class="big" id="points">' + me.points.balance + '</span></div>' +
        (me.points.expiring_soon ? '<div>' + esc(t('expiring', { n: me.points.expiring_soon })) + '</div>' : '') + tierLine(me.tier) + '</section>' +
        '<section class="card"><h2>' + t('memberCode') + '</h2><img class="qr" id="member-qr" alt="' + t('memberCode') + '">' +
        '<div class="code" id="member-code"></div><p class="muted">' + t('codeHint') + '</p></section>' +
        '<section class="card"><h2>' + t('coupons') + '</h2>' + list(me.coupons, t('noCoupons'), function (c) {
          return '<span>' + esc(c.template ? c.template.name : '') + '<br><span class="muted">' + esc(c.code) + '</span></span><span class="muted">' +
            esc(t('validUntil', { d: day(c.valid_until) })) + '</span>';
        }) + '</section>' +
        '<section class="card"><h2>' + t('events') + '</h2>' + list(me.events, t('noEvents'), function (e) {
          var state = e.my_status === 'registered' ? t('registered') : e.my_status === 'attended' ? t('attended')
            : e.places_left === 0 ? t('full') : '<button type="button" class="secondary" data-event="' + e.id + '">' + t('register') + '</button>';
          return '<span>' + esc(e.title) + '<br><span class="muted">' + esc(new Date(e.starts_at).toLocaleString(lang)) + '</span></span><span>' + state + '</span>';
        }) + '</section>' +
        '<section class="card"><h2>' + t('purchases') + '</h2>' + list(me.purchases, t('noPurchases'), function (p) {
          return '<span>' + esc(p.store_name) + '<br><span class="muted">' + esc(day(p.sold_at)) + '</span></span><span>¥' + yuan(p.total - p.refunded_amount) +
            (p.points_earned ? '<br><span class="muted">+' + p.points_earned + '</span>' : '') + '</span>';
        }) + '</section>' +
        '<nav class="links card"><button type="button" class="link" data-go="/m/profile">' + t('profile') + '</button>' +
        '<button type="button" class="link" data-go="/m/privacy">' + t('privacy') + '</button>' +
        '<button type="button" class="link" id="sign-out">' + t('signOut') + '</button></nav>';
      app.innerHTML = html;
      refreshCode();
      clearInterval(codeTimer);
      codeTimer = setInterval(refreshCode, 30000);
      wireLinks();
      app.querySelectorAll('[data-event]').forEach(function (b) {
        b.addEventListener('click', function () {
          api('POST', '/me/events/' + b.getAttribute('data-event') + '/registration', {}).then(function () { cardPage(); });
        });
      });
      document.getElementById('sign-out').addEventListener('click', function () {
        api('DELETE', '/session').then(function () { csrf = ''; go('/m/'); });
      });
    });
  }

  function list(items, empty, row) {
    if (!items || !items.length) return '<p class="muted">' + esc(empty) + '</p>';
    return '<ul class="list">' + items.map(function (i) { return '<li>' + row(i) + '</li>'; }).join('') + '</ul>';
  }

  function wireLinks() {
    app.querySelectorAll('[data-go]').forEach(function (b) {
      b.addEventListener('click', function () { go(b.getAttribute('data-go')); });
    });
  }

  function profilePage() {
    loadCard(function (me) {
      var m = me.member;
      var can = function (f) { return (me.editable_fields || []).indexOf(f) >= 0; };
      var text = function (f, type) {
        return can(f) ? '<label for="' + f + '">' + t(f) + '</label><input id="' + f + '" type="' + type + '" name="' + f + '" value="' + esc(m[f]) + '">' +
          '<div class="err" data-err="' + f + '"></div>' : '';
      };
      app.innerHTML = '<form class="card" id="profile" novalidate><h1>' + t('profile') + '</h1>' +
        '<p class="muted">' + t('phone') + ' ' + esc(m.phone) + ' · ' + t('memberNo') + ' ' + esc(m.member_no) + '</p>' +
        text('name', 'text') +
        (can('gender') ? '<label for="gender">' + t('gender') + '</label><select id="gender" name="gender">' + ['unknown', 'female', 'male'].map(function (g) {
          return '<option value="' + g + '"' + (m.gender === g ? ' selected' : '') + '>' + t(g) + '</option>';
        }).join('') + '</select>' : '') +
        text('birthday', 'date') + text('email', 'email') + text('address', 'text') +
        '<div class="err" data-err="form"></div><button class="full" type="submit">' + t('save') + '</button>' +
        '<button type="button" class="link" data-go="/m/">' + t('back') + '</button></form>';
      wireLinks();
      var form = document.getElementById('profile');
      form.addEventListener('submit', function (e) {
        e.preventDefault();
        var body = {};
        (me.editable_fields || []).forEach(function (f) {
          var v = form[f] ? form[f].value.trim() : '';
          body[f] = v || (f === 'name' || f === 'gender' ? v : null);
        });
        api('PUT', '/me', body).then(function (res) {
          if (res.status === 200) form.querySelector('[data-err="form"]').innerHTML = '<span class="ok">' + t('saved') + '</span>';
          else showErrors(form, res);
        });
      });
    });
  }

  function privacyPage() {
    loadCard(function (me) {
      var pending = me.deletion_request && me.deletion_request.status === 'pending';
      app.innerHTML = '<form class="card" id="optins"><h2>' + t('optins') + '</h2>' +
        '<label class="check"><input type="checkbox" name="sms" id="opt-sms"' + (me.consents.sms ? ' checked' : '') + '>' + t('optSms') + '</label>' +
        '<label class="check"><input type="checkbox" name="email" id="opt-email"' + (me.consents.email ? ' checked' : '') + '>' + t('optEmail') + '</label>' +
        '<div class="err" data-err="form"></div></form>' +
        '<section class="card"><a href="/api/v1/portal/me/export" download>' + t('download') + '</a><br>' +
        '<button type="button" class="link" id="view-data">' + t('viewData') + '</button><div id="data"></div></section>' +
        '<form class="card" id="deletion"><h2>' + t('deletion') + '</h2>' + (pending ? '<p>' + t('deletionPending') + '</p>' :
          '<label for="reason">' + t('deletionReason') + '</label><input id="reason" type="text" name="reason"><div class="err" data-err="reason"></div>' +
          '<div class="err" data-err="form"></div><button type="submit" class="secondary full">' + t('deletion') + '</button>') + '</form>' +
        '<nav class="links card"><button type="button" class="link" id="sign-out-all">' + t('signOutAll') + '</button>' +
        '<button type="button" class="link" data-go="/m/">' + t('back') + '</button></nav>';
      wireLinks();
      var optins = document.getElementById('optins');
      optins.addEventListener('change', function () {
        api('PUT', '/me/consents', { sms: optins.sms.checked, email: optins.email.checked }).then(function (res) {
          optins.querySelector('[data-err="form"]').innerHTML = res.status === 200 ? '<span class="ok">' + t('saved') + '</span>' : esc(t('retry'));
        });
      });
      document.getElementById('view-data').addEventListener('click', function () {
        api('GET', '/me/export').then(function (res) {
          var d = res.body;
          document.getElementById('data').innerHTML = '<ul class="list">' + Object.keys(d.profile).map(function (k) {
            return '<li><span class="muted">' + esc(k) + '</span><span>' + esc(d.profile[k]) + '</span></li>';
          }).join('') + '<li><span class="muted">' + t('purchases') + '</span><span>' + d.purchases.length + '</span></li>' +
            '<li><span class="muted">' + t('points') + '</span><span>' + d.points.length + '</span></li>' +
            '<li><span class="muted">' + t('coupons') + '</span><span>' + d.coupons.length + '</span></li></ul>';
        });
      });
      var deletion = document.getElementById('deletion');
      deletion.addEventListener('submit', function (e) {
        e.preventDefault();
        if (!window.confirm(t('confirmDelete'))) return;
        api('POST', '/me/deletion-request', { reason: deletion.reason.value.trim() }).then(function (res) {
          if (res.status === 201) deletion.innerHTML = '<p class="ok">' + t('deletionSent') + '</p>';
          else showErrors(deletion, res);
        });
      });
      document.getElementById('sign-out-all').addEventListener('click', function () {
        api('DELETE', '/sessions').then(function () { csrf = ''; go('/m/'); });
      });
    });
  }

  function route() {
    document.documentElement.lang = lang;
    document.getElementById('brand').textContent = t('brand');
    document.getElementById('lang').textContent = t('lang');
    document.title = t('brand');
    var path = location.pathname;
    var join = path.match(/^\/m\/join\/([^/]+)$/);
    if (join) return joinPage(decodeURIComponent(join[1]));
    if (path === '/m/profile') return profilePage();
    if (path === '/m/privacy') return privacyPage();
    return cardPage();
  }

  route();
})();
