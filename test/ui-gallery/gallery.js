"use strict";
(() => {
  // node_modules/preact/dist/preact.module.js
  var n;
  var l;
  var u;
  var t;
  var i;
  var r;
  var o;
  var e;
  var f;
  var c;
  var a;
  var s;
  var h;
  var p;
  var v;
  var y;
  var d = {};
  var w = [];
  var _ = /acit|ex(?:s|g|n|p|$)|rph|grid|ows|mnc|ntw|ine[ch]|zoo|^ord|itera/i;
  var g = Array.isArray;
  function m(n2, l3) {
    for (var u4 in l3) n2[u4] = l3[u4];
    return n2;
  }
  function b(n2) {
    n2 && n2.parentNode && n2.parentNode.removeChild(n2);
  }
  function k(l3, u4, t4) {
    var i3, r3, o3, e3 = {};
    for (o3 in u4) "key" == o3 ? i3 = u4[o3] : "ref" == o3 ? r3 = u4[o3] : e3[o3] = u4[o3];
    if (arguments.length > 2 && (e3.children = arguments.length > 3 ? n.call(arguments, 2) : t4), "function" == typeof l3 && null != l3.defaultProps) for (o3 in l3.defaultProps) void 0 === e3[o3] && (e3[o3] = l3.defaultProps[o3]);
    return x(l3, e3, i3, r3, null);
  }
  function x(n2, t4, i3, r3, o3) {
    var e3 = { type: n2, props: t4, key: i3, ref: r3, __k: null, __: null, __b: 0, __e: null, __c: null, constructor: void 0, __v: null == o3 ? ++u : o3, __i: -1, __u: 0 };
    return null == o3 && null != l.vnode && l.vnode(e3), e3;
  }
  function S(n2) {
    return n2.children;
  }
  function C(n2, l3) {
    this.props = n2, this.context = l3;
  }
  function $(n2, l3) {
    if (null == l3) return n2.__ ? $(n2.__, n2.__i + 1) : null;
    for (var u4; l3 < n2.__k.length; l3++) if (null != (u4 = n2.__k[l3]) && null != u4.__e) return u4.__e;
    return "function" == typeof n2.type ? $(n2) : null;
  }
  function I(n2) {
    if (n2.__P && n2.__d) {
      var u4 = n2.__v, t4 = u4.__e, i3 = [], r3 = [], o3 = m({}, u4);
      o3.__v = u4.__v + 1, l.vnode && l.vnode(o3), q(n2.__P, o3, u4, n2.__n, n2.__P.namespaceURI, 32 & u4.__u ? [t4] : null, i3, null == t4 ? $(u4) : t4, !!(32 & u4.__u), r3), o3.__v = u4.__v, o3.__.__k[o3.__i] = o3, D(i3, o3, r3), u4.__e = u4.__ = null, o3.__e != t4 && P(o3);
    }
  }
  function P(n2) {
    if (null != (n2 = n2.__) && null != n2.__c) return n2.__e = n2.__c.base = null, n2.__k.some(function(l3) {
      if (null != l3 && null != l3.__e) return n2.__e = n2.__c.base = l3.__e;
    }), P(n2);
  }
  function A(n2) {
    (!n2.__d && (n2.__d = true) && i.push(n2) && !H.__r++ || r != l.debounceRendering) && ((r = l.debounceRendering) || o)(H);
  }
  function H() {
    try {
      for (var n2, l3 = 1; i.length; ) i.length > l3 && i.sort(e), n2 = i.shift(), l3 = i.length, I(n2);
    } finally {
      i.length = H.__r = 0;
    }
  }
  function L(n2, l3, u4, t4, i3, r3, o3, e3, f4, c3, a3) {
    var s3, h3, p3, v3, y3, _2, g2 = t4 && t4.__k || w, m3 = l3.length;
    for (f4 = T(u4, l3, g2, f4, m3), s3 = 0; s3 < m3; s3++) null != (p3 = u4.__k[s3]) && (h3 = -1 != p3.__i && g2[p3.__i] || d, p3.__i = s3, _2 = q(n2, p3, h3, i3, r3, o3, e3, f4, c3, a3), v3 = p3.__e, p3.ref && h3.ref != p3.ref && (h3.ref && J(h3.ref, null, p3), a3.push(p3.ref, p3.__c || v3, p3)), null == y3 && null != v3 && (y3 = v3), 4 & p3.__u ? (f4 = j(p3, f4, n2), h3.__e && (h3.__e = null)) : "function" == typeof p3.type && void 0 !== _2 ? f4 = _2 : v3 && (f4 = v3.nextSibling), p3.__u &= -7);
    return u4.__e = y3, f4;
  }
  function T(n2, l3, u4, t4, i3) {
    var r3, o3, e3, f4, c3, a3 = u4.length, s3 = a3, h3 = 0;
    for (n2.__k = new Array(i3), r3 = 0; r3 < i3; r3++) null != (o3 = l3[r3]) && "boolean" != typeof o3 && "function" != typeof o3 ? ("string" == typeof o3 || "number" == typeof o3 || "bigint" == typeof o3 || o3.constructor == String ? o3 = n2.__k[r3] = x(null, o3, null, null, null) : g(o3) ? o3 = n2.__k[r3] = x(S, { children: o3 }, null, null, null) : void 0 === o3.constructor && o3.__b > 0 ? o3 = n2.__k[r3] = x(o3.type, o3.props, o3.key, o3.ref ? o3.ref : null, o3.__v) : n2.__k[r3] = o3, f4 = r3 + h3, o3.__ = n2, o3.__b = n2.__b + 1, e3 = null, -1 != (c3 = o3.__i = O(o3, u4, f4, s3)) && (s3--, (e3 = u4[c3]) && (e3.__u |= 2)), null == e3 || null == e3.__v ? (-1 == c3 && (i3 > a3 ? h3-- : i3 < a3 && h3++), "function" != typeof o3.type && (o3.__u |= 4)) : c3 != f4 && (c3 == f4 - 1 ? h3-- : c3 == f4 + 1 ? h3++ : (c3 > f4 ? h3-- : h3++, o3.__u |= 4))) : n2.__k[r3] = null;
    if (s3) for (r3 = 0; r3 < a3; r3++) null != (e3 = u4[r3]) && 0 == (2 & e3.__u) && (e3.__e == t4 && (t4 = $(e3)), K(e3, e3));
    return t4;
  }
  function j(n2, l3, u4) {
    var t4, i3;
    if ("function" == typeof n2.type) {
      for (t4 = n2.__k, i3 = 0; t4 && i3 < t4.length; i3++) t4[i3] && (t4[i3].__ = n2, l3 = j(t4[i3], l3, u4));
      return l3;
    }
    n2.__e != l3 && (l3 && n2.type && !l3.parentNode && (l3 = $(n2)), l3 = u4.insertBefore(n2.__e, l3 || null));
    do {
      l3 = l3 && l3.nextSibling;
    } while (null != l3 && 8 == l3.nodeType);
    return l3;
  }
  function O(n2, l3, u4, t4) {
    var i3, r3, o3, e3 = n2.key, f4 = n2.type, c3 = l3[u4], a3 = null != c3 && 0 == (2 & c3.__u);
    if (null === c3 && null == e3 || a3 && e3 == c3.key && f4 == c3.type) return u4;
    if (t4 > (a3 ? 1 : 0)) {
      for (i3 = u4 - 1, r3 = u4 + 1; i3 >= 0 || r3 < l3.length; ) if (null != (c3 = l3[o3 = i3 >= 0 ? i3-- : r3++]) && 0 == (2 & c3.__u) && e3 == c3.key && f4 == c3.type) return o3;
    }
    return -1;
  }
  function z(n2, l3, u4) {
    "-" == l3[0] ? n2.setProperty(l3, null == u4 ? "" : u4) : n2[l3] = null == u4 ? "" : "number" != typeof u4 || _.test(l3) ? u4 : u4 + "px";
  }
  function N(n2, l3, u4, t4, i3) {
    var r3, o3;
    n: if ("style" == l3) if ("string" == typeof u4) n2.style.cssText = u4;
    else {
      if ("string" == typeof t4 && (n2.style.cssText = t4 = ""), t4) for (l3 in t4) u4 && l3 in u4 || z(n2.style, l3, "");
      if (u4) for (l3 in u4) t4 && u4[l3] == t4[l3] || z(n2.style, l3, u4[l3]);
    }
    else if ("o" == l3[0] && "n" == l3[1]) r3 = l3 != (l3 = l3.replace(s, "$1")), o3 = l3.toLowerCase(), l3 = o3 in n2 || "onFocusOut" == l3 || "onFocusIn" == l3 ? o3.slice(2) : l3.slice(2), n2.l || (n2.l = {}), n2.l[l3 + r3] = u4, u4 ? t4 ? u4[a] = t4[a] : (u4[a] = h, n2.addEventListener(l3, r3 ? v : p, r3)) : n2.removeEventListener(l3, r3 ? v : p, r3);
    else {
      if ("http://www.w3.org/2000/svg" == i3) l3 = l3.replace(/xlink(H|:h)/, "h").replace(/sName$/, "s");
      else if ("width" != l3 && "height" != l3 && "href" != l3 && "list" != l3 && "form" != l3 && "tabIndex" != l3 && "download" != l3 && "rowSpan" != l3 && "colSpan" != l3 && "role" != l3 && "popover" != l3 && l3 in n2) try {
        n2[l3] = null == u4 ? "" : u4;
        break n;
      } catch (n3) {
      }
      "function" == typeof u4 || (null == u4 || false === u4 && "-" != l3[4] ? n2.removeAttribute(l3) : n2.setAttribute(l3, "popover" == l3 && 1 == u4 ? "" : u4));
    }
  }
  function V(n2) {
    return function(u4) {
      if (this.l) {
        var t4 = this.l[u4.type + n2];
        if (null == u4[c]) u4[c] = h++;
        else if (u4[c] < t4[a]) return;
        return t4(l.event ? l.event(u4) : u4);
      }
    };
  }
  function q(n2, u4, t4, i3, r3, o3, e3, f4, c3, a3) {
    var s3, h3, p3, v3, y3, d3, _2, k3, x3, M, I2, P2, A3, H2, T3, j3, F = u4.type;
    if (void 0 !== u4.constructor) return null;
    128 & t4.__u && (c3 = !!(32 & t4.__u), o3 = [f4 = u4.__e = t4.__e]), (s3 = l.__b) && s3(u4);
    n: if ("function" == typeof F) {
      h3 = e3.length;
      try {
        if (x3 = u4.props, M = F.prototype && F.prototype.render, I2 = (s3 = F.contextType) && i3[s3.__c], P2 = s3 ? I2 ? I2.props.value : s3.__ : i3, t4.__c ? k3 = (p3 = u4.__c = t4.__c).__ = p3.__E : (M ? u4.__c = p3 = new F(x3, P2) : (u4.__c = p3 = new C(x3, P2), p3.constructor = F, p3.render = Q), I2 && I2.sub(p3), p3.state || (p3.state = {}), p3.__n = i3, v3 = p3.__d = true, p3.__h = [], p3._sb = []), M && null == p3.__s && (p3.__s = p3.state), M && null != F.getDerivedStateFromProps && (p3.__s == p3.state && (p3.__s = m({}, p3.__s)), m(p3.__s, F.getDerivedStateFromProps(x3, p3.__s))), y3 = p3.props, d3 = p3.state, p3.__v = u4, v3) M && null == F.getDerivedStateFromProps && null != p3.componentWillMount && p3.componentWillMount(), M && null != p3.componentDidMount && p3.__h.push(p3.componentDidMount);
        else {
          if (M && null == F.getDerivedStateFromProps && x3 !== y3 && null != p3.componentWillReceiveProps && p3.componentWillReceiveProps(x3, P2), u4.__v == t4.__v || !p3.__e && null != p3.shouldComponentUpdate && false === p3.shouldComponentUpdate(x3, p3.__s, P2)) {
            u4.__v != t4.__v && (p3.props = x3, p3.state = p3.__s, p3.__d = false), u4.__e = t4.__e, u4.__k = t4.__k, u4.__k.some(function(n3) {
              n3 && (n3.__ = u4);
            }), w.push.apply(p3.__h, p3._sb), p3._sb = [], p3.__h.length && e3.push(p3), f4 = $(t4);
            break n;
          }
          null != p3.componentWillUpdate && p3.componentWillUpdate(x3, p3.__s, P2), M && null != p3.componentDidUpdate && p3.__h.push(function() {
            p3.componentDidUpdate(y3, d3, _2);
          });
        }
        if (p3.context = P2, p3.props = x3, p3.__P = n2, p3.__e = false, A3 = l.__r, H2 = 0, M) p3.state = p3.__s, p3.__d = false, A3 && A3(u4), s3 = p3.render(p3.props, p3.state, p3.context), w.push.apply(p3.__h, p3._sb), p3._sb = [];
        else do {
          p3.__d = false, A3 && A3(u4), s3 = p3.render(p3.props, p3.state, p3.context), p3.state = p3.__s;
        } while (p3.__d && ++H2 < 25);
        p3.state = p3.__s, null != p3.getChildContext && (i3 = m(m({}, i3), p3.getChildContext())), M && !v3 && null != p3.getSnapshotBeforeUpdate && (_2 = p3.getSnapshotBeforeUpdate(y3, d3)), T3 = null != s3 && s3.type === S && null == s3.key ? E(s3.props.children) : s3, f4 = L(n2, g(T3) ? T3 : [T3], u4, t4, i3, r3, o3, e3, f4, c3, a3), p3.base = u4.__e, u4.__u &= -161, p3.__h.length && e3.push(p3), k3 && (p3.__E = p3.__ = null);
      } catch (n3) {
        if (e3.length = h3, u4.__v = null, c3 || null != o3) {
          if (n3.then) {
            for (u4.__u |= c3 ? 160 : 128; f4 && 8 == f4.nodeType && f4.nextSibling; ) f4 = f4.nextSibling;
            null != o3 && (o3[o3.indexOf(f4)] = null), u4.__e = f4;
          } else if (null != o3) for (j3 = o3.length; j3--; ) b(o3[j3]);
        } else u4.__e = t4.__e;
        null == u4.__k && (u4.__k = t4.__k || []), n3.then || B(u4), l.__e(n3, u4, t4);
      }
    } else null == o3 && u4.__v == t4.__v ? (u4.__k = t4.__k, u4.__e = t4.__e) : f4 = u4.__e = G(t4.__e, u4, t4, i3, r3, o3, e3, c3, a3);
    return (s3 = l.diffed) && s3(u4), 128 & u4.__u ? void 0 : f4;
  }
  function B(n2) {
    n2 && (n2.__c && (n2.__c.__e = true), n2.__k && n2.__k.some(B));
  }
  function D(n2, u4, t4) {
    for (var i3 = 0; i3 < t4.length; i3++) J(t4[i3], t4[++i3], t4[++i3]);
    l.__c && l.__c(u4, n2), n2.some(function(u5) {
      try {
        n2 = u5.__h, u5.__h = [], n2.some(function(n3) {
          n3.call(u5);
        });
      } catch (n3) {
        l.__e(n3, u5.__v);
      }
    });
  }
  function E(n2) {
    return "object" != typeof n2 || null == n2 || n2.__b > 0 ? n2 : g(n2) ? n2.map(E) : void 0 !== n2.constructor ? null : m({}, n2);
  }
  function G(u4, t4, i3, r3, o3, e3, f4, c3, a3) {
    var s3, h3, p3, v3, y3, w3, _2, m3 = i3.props || d, k3 = t4.props, x3 = t4.type;
    if ("svg" == x3 ? o3 = "http://www.w3.org/2000/svg" : "math" == x3 ? o3 = "http://www.w3.org/1998/Math/MathML" : o3 || (o3 = "http://www.w3.org/1999/xhtml"), null != e3) {
      for (s3 = 0; s3 < e3.length; s3++) if ((y3 = e3[s3]) && "setAttribute" in y3 == !!x3 && (x3 ? y3.localName == x3 : 3 == y3.nodeType)) {
        u4 = y3, e3[s3] = null;
        break;
      }
    }
    if (null == u4) {
      if (null == x3) return document.createTextNode(k3);
      u4 = document.createElementNS(o3, x3, k3.is && k3), c3 && (l.__m && l.__m(t4, e3), c3 = false), e3 = null;
    }
    if (null == x3) m3 === k3 || c3 && u4.data == k3 || (u4.data = k3);
    else {
      if (e3 = "textarea" == x3 && null != k3.defaultValue ? null : e3 && n.call(u4.childNodes), !c3 && null != e3) for (m3 = {}, s3 = 0; s3 < u4.attributes.length; s3++) m3[(y3 = u4.attributes[s3]).name] = y3.value;
      for (s3 in m3) y3 = m3[s3], "dangerouslySetInnerHTML" == s3 ? p3 = y3 : "children" == s3 || s3 in k3 || "value" == s3 && "defaultValue" in k3 || "checked" == s3 && "defaultChecked" in k3 || N(u4, s3, null, y3, o3);
      for (s3 in k3) y3 = k3[s3], "children" == s3 ? v3 = y3 : "dangerouslySetInnerHTML" == s3 ? h3 = y3 : "value" == s3 ? w3 = y3 : "checked" == s3 ? _2 = y3 : c3 && "function" != typeof y3 || m3[s3] === y3 || N(u4, s3, y3, m3[s3], o3);
      if (h3) c3 || p3 && (h3.__html == p3.__html || h3.__html == u4.innerHTML) || (u4.innerHTML = h3.__html), t4.__k = [];
      else if (p3 && (u4.innerHTML = ""), L("template" == t4.type ? u4.content : u4, g(v3) ? v3 : [v3], t4, i3, r3, "foreignObject" == x3 ? "http://www.w3.org/1999/xhtml" : o3, e3, f4, e3 ? e3[0] : i3.__k && $(i3, 0), c3, a3), null != e3) for (s3 = e3.length; s3--; ) b(e3[s3]);
      c3 && "textarea" != x3 || (s3 = "value", "progress" == x3 && null == w3 ? u4.removeAttribute("value") : null != w3 && (w3 !== u4[s3] || "progress" == x3 && !w3 || "option" == x3 && w3 != m3[s3]) && N(u4, s3, w3, m3[s3], o3), s3 = "checked", null != _2 && _2 != u4[s3] && N(u4, s3, _2, m3[s3], o3));
    }
    return u4;
  }
  function J(n2, u4, t4) {
    try {
      if ("function" == typeof n2) {
        var i3 = "function" == typeof n2.__u;
        i3 && n2.__u(), i3 && null == u4 || (n2.__u = n2(u4));
      } else n2.current = u4;
    } catch (n3) {
      l.__e(n3, t4);
    }
  }
  function K(n2, u4, t4) {
    var i3, r3;
    if (l.unmount && l.unmount(n2), (i3 = n2.ref) && (i3.current && i3.current != n2.__e || J(i3, null, u4)), null != (i3 = n2.__c)) {
      if (i3.componentWillUnmount) try {
        i3.componentWillUnmount();
      } catch (n3) {
        l.__e(n3, u4);
      }
      i3.base = i3.__P = i3.__n = null;
    }
    if (i3 = n2.__k) for (r3 = 0; r3 < i3.length; r3++) i3[r3] && K(i3[r3], u4, t4 || "function" != typeof n2.type);
    t4 || b(n2.__e), n2.__c = n2.__ = n2.__e = void 0;
  }
  function Q(n2, l3, u4) {
    return this.constructor(n2, u4);
  }
  function R(u4, t4, i3) {
    var r3, o3, e3, f4;
    t4 == document && (t4 = document.documentElement), l.__ && l.__(u4, t4), o3 = (r3 = "function" == typeof i3) ? null : i3 && i3.__k || t4.__k, e3 = [], f4 = [], q(t4, u4 = (!r3 && i3 || t4).__k = k(S, null, [u4]), o3 || d, d, t4.namespaceURI, !r3 && i3 ? [i3] : o3 ? null : t4.firstChild ? n.call(t4.childNodes) : null, e3, !r3 && i3 ? i3 : o3 ? o3.__e : t4.firstChild, r3, f4), D(e3, u4, f4), u4.props.children = null;
  }
  function X(n2) {
    function l3(n3) {
      var u4, t4;
      return this.getChildContext || (u4 = /* @__PURE__ */ new Set(), (t4 = {})[l3.__c] = this, this.getChildContext = function() {
        return t4;
      }, this.componentWillUnmount = function() {
        u4 = null;
      }, this.shouldComponentUpdate = function(n4) {
        this.props.value != n4.value && u4.forEach(function(n5) {
          n5.__e = true, A(n5);
        });
      }, this.sub = function(n4) {
        u4.add(n4);
        var l4 = n4.componentWillUnmount;
        n4.componentWillUnmount = function() {
          u4 && u4.delete(n4), l4 && l4.call(n4);
        };
      }), n3.children;
    }
    return l3.__c = "__cC" + y++, l3.__ = n2, l3.Provider = l3.__l = (l3.Consumer = function(n3, l4) {
      return n3.children(l4);
    }).contextType = l3, l3;
  }
  n = w.slice, l = { __e: function(n2, l3, u4, t4) {
    for (var i3, r3, o3; l3 = l3.__; ) if ((i3 = l3.__c) && !i3.__) try {
      if ((r3 = i3.constructor) && null != r3.getDerivedStateFromError && (i3.setState(r3.getDerivedStateFromError(n2)), o3 = i3.__d), null != i3.componentDidCatch && (i3.componentDidCatch(n2, t4 || {}), o3 = i3.__d), o3) return i3.__E = i3;
    } catch (l4) {
      n2 = l4;
    }
    throw n2;
  } }, u = 0, t = function(n2) {
    return null != n2 && void 0 === n2.constructor;
  }, C.prototype.setState = function(n2, l3) {
    var u4;
    u4 = null != this.__s && this.__s != this.state ? this.__s : this.__s = m({}, this.state), "function" == typeof n2 && (n2 = n2(m({}, u4), this.props)), n2 && m(u4, n2), null != n2 && this.__v && (l3 && this._sb.push(l3), A(this));
  }, C.prototype.forceUpdate = function(n2) {
    this.__v && (this.__e = true, n2 && this.__h.push(n2), A(this));
  }, C.prototype.render = S, i = [], o = "function" == typeof Promise ? Promise.prototype.then.bind(Promise.resolve()) : setTimeout, e = function(n2, l3) {
    return n2.__v.__b - l3.__v.__b;
  }, H.__r = 0, f = Math.random().toString(8), c = "__d" + f, a = "__a" + f, s = /(PointerCapture)$|Capture$/i, h = 0, p = V(false), v = V(true), y = 0;

  // src/core/verdict.ts
  var VERDICT_KINDS = [
    "verified",
    "mismatch",
    "incomplete",
    "oversized",
    "wrong-release",
    "unverifiable",
    "checksum-only"
  ];

  // node_modules/preact/hooks/dist/hooks.module.js
  var t2;
  var r2;
  var u2;
  var i2;
  var o2 = 0;
  var f2 = [];
  var c2 = l;
  var e2 = c2.__b;
  var a2 = c2.__r;
  var v2 = c2.diffed;
  var l2 = c2.__c;
  var m2 = c2.unmount;
  var p2 = c2.__;
  function s2(n2, t4) {
    c2.__h && c2.__h(r2, n2, o2 || t4), o2 = 0;
    var u4 = r2.__H || (r2.__H = { __: [], __h: [] });
    return n2 >= u4.__.length && u4.__.push({}), u4.__[n2];
  }
  function d2(n2) {
    return o2 = 1, y2(D2, n2);
  }
  function y2(n2, u4, i3) {
    var o3 = s2(t2++, 2);
    if (o3.t = n2, !o3.__c && (o3.__ = [i3 ? i3(u4) : D2(void 0, u4), function(n3) {
      var t4 = o3.__N ? o3.__N[0] : o3.__[0], r3 = o3.t(t4, n3);
      t4 !== r3 && (o3.__N = [r3, o3.__[1]], o3.__c.setState({}));
    }], o3.__c = r2, !r2.__f)) {
      var f4 = function(n3, t4, r3) {
        if (!o3.__c.__H) return true;
        var u5 = false, i4 = o3.__c.props !== n3;
        if (o3.__c.__H.__.some(function(n4) {
          if (n4.__N) {
            u5 = true;
            var t5 = n4.__[0];
            n4.__ = n4.__N, n4.__N = void 0, t5 !== n4.__[0] && (i4 = true);
          }
        }), c3) {
          var f5 = c3.call(this, n3, t4, r3);
          return u5 ? f5 || i4 : f5;
        }
        return !u5 || i4;
      };
      r2.__f = true;
      var c3 = r2.shouldComponentUpdate, e3 = r2.componentWillUpdate;
      r2.componentWillUpdate = function(n3, t4, r3) {
        if (this.__e) {
          var u5 = c3;
          c3 = void 0, f4(n3, t4, r3), c3 = u5;
        }
        e3 && e3.call(this, n3, t4, r3);
      }, r2.shouldComponentUpdate = f4;
    }
    return o3.__N || o3.__;
  }
  function h2(n2, u4) {
    var i3 = s2(t2++, 3);
    !c2.__s && C2(i3.__H, u4) && (i3.__ = n2, i3.u = u4, r2.__H.__h.push(i3));
  }
  function A2(n2) {
    return o2 = 5, T2(function() {
      return { current: n2 };
    }, []);
  }
  function T2(n2, r3) {
    var u4 = s2(t2++, 7);
    return C2(u4.__H, r3) && (u4.__ = n2(), u4.__H = r3, u4.__h = n2), u4.__;
  }
  function x2(n2) {
    var u4 = r2.context[n2.__c], i3 = s2(t2++, 9);
    return i3.c = n2, u4 ? (null == i3.__ && (i3.__ = true, u4.sub(r2)), u4.props.value) : n2.__;
  }
  function j2() {
    for (var n2; n2 = f2.shift(); ) {
      var t4 = n2.__H;
      if (n2.__P && t4) try {
        t4.__h.some(z2), t4.__h.some(B2), t4.__h = [];
      } catch (r3) {
        t4.__h = [], c2.__e(r3, n2.__v);
      }
    }
  }
  c2.__b = function(n2) {
    r2 = null, e2 && e2(n2);
  }, c2.__ = function(n2, t4) {
    n2 && t4.__k && t4.__k.__m && (n2.__m = t4.__k.__m), p2 && p2(n2, t4);
  }, c2.__r = function(n2) {
    a2 && a2(n2), t2 = 0;
    var i3 = (r2 = n2.__c).__H;
    i3 && (u2 === r2 ? (i3.__h = [], r2.__h = [], i3.__.some(function(n3) {
      n3.__N && (n3.__ = n3.__N), n3.u = n3.__N = void 0;
    })) : (i3.__h.some(z2), i3.__h.some(B2), i3.__h = [], t2 = 0)), u2 = r2;
  }, c2.diffed = function(n2) {
    v2 && v2(n2);
    var t4 = n2.__c;
    t4 && t4.__H && (t4.__H.__h.length && (1 !== f2.push(t4) && i2 === c2.requestAnimationFrame || ((i2 = c2.requestAnimationFrame) || w2)(j2)), t4.__H.__.some(function(n3) {
      n3.u && (n3.__H = n3.u, n3.u = void 0);
    })), u2 = r2 = null;
  }, c2.__c = function(n2, t4) {
    t4.some(function(n3) {
      try {
        n3.__h.some(z2), n3.__h = n3.__h.filter(function(n4) {
          return !n4.__ || B2(n4);
        });
      } catch (r3) {
        t4.some(function(n4) {
          n4.__h && (n4.__h = []);
        }), t4 = [], c2.__e(r3, n3.__v);
      }
    }), l2 && l2(n2, t4);
  }, c2.unmount = function(n2) {
    m2 && m2(n2);
    var t4, r3 = n2.__c;
    r3 && r3.__H && (r3.__H.__.some(function(n3) {
      try {
        z2(n3);
      } catch (n4) {
        t4 = n4;
      }
    }), r3.__H = void 0, t4 && c2.__e(t4, r3.__v));
  };
  var k2 = "function" == typeof requestAnimationFrame;
  function w2(n2) {
    var t4, r3 = function() {
      clearTimeout(u4), k2 && cancelAnimationFrame(t4), setTimeout(n2);
    }, u4 = setTimeout(r3, 35);
    k2 && (t4 = requestAnimationFrame(r3));
  }
  function z2(n2) {
    var t4 = r2, u4 = n2.__c;
    "function" == typeof u4 && (n2.__c = void 0, u4()), r2 = t4;
  }
  function B2(n2) {
    var t4 = r2;
    n2.__c = n2.__(), r2 = t4;
  }
  function C2(n2, t4) {
    return !n2 || n2.length !== t4.length || t4.some(function(t5, r3) {
      return t5 !== n2[r3];
    });
  }
  function D2(n2, t4) {
    return "function" == typeof t4 ? t4(n2) : t4;
  }

  // src/ui/i18n-core.ts
  function substitutionList(substitutions) {
    if (substitutions === void 0) return [];
    if (typeof substitutions === "string" || typeof substitutions === "number") return [String(substitutions)];
    return substitutions.map(String);
  }
  function fillPositional(text, values) {
    return text.replace(/\$(\d)/g, (whole, digit) => values[Number(digit) - 1] ?? "");
  }
  function formatMessage(entry, substitutions) {
    const values = substitutionList(substitutions);
    const placeholders = /* @__PURE__ */ new Map();
    for (const [name, placeholder] of Object.entries(entry.placeholders ?? {})) {
      placeholders.set(name.toLowerCase(), fillPositional(placeholder.content, values));
    }
    return entry.message.replace(/\$\$|\$([A-Za-z0-9_@]+)\$|\$(\d)/g, (whole, name, digit) => {
      if (whole === "$$") return "$";
      if (name !== void 0) return placeholders.get(name.toLowerCase()) ?? "";
      return values[Number(digit) - 1] ?? "";
    });
  }
  function dictionaryT(messages, locale = "en") {
    return (key, substitutions) => {
      if (key === "@@ui_locale") return locale;
      const entry = messages[key];
      return entry ? formatMessage(entry, substitutions) : key;
    };
  }
  var keysOnly = (key, substitutions) => {
    const values = substitutionList(substitutions);
    return values.length ? `${key}(${values.join(", ")})` : key;
  };
  var I18nContext = X(keysOnly);
  function useT() {
    return x2(I18nContext);
  }
  function localeOf(t4) {
    const raw = t4("@@ui_locale");
    return raw && !raw.startsWith("@@") ? raw.replace(/_/g, "-") : "en";
  }

  // src/ui/format.ts
  var UNITS = ["B", "kB", "MB", "GB", "TB"];
  function unitFor(bytes) {
    let index = 0;
    let value = Math.abs(bytes);
    while (value >= 1e3 && index < UNITS.length - 1) {
      value /= 1e3;
      index += 1;
    }
    return UNITS[index];
  }
  function formatBytes(bytes, locale = "en", unit = unitFor(bytes)) {
    if (!Number.isFinite(bytes)) return "?";
    const value = bytes / 1e3 ** UNITS.indexOf(unit);
    const digits = unit === "B" ? 0 : value >= 100 ? 1 : 2;
    const number = new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(value);
    return `${number} ${unit}`;
  }
  function formatExactBytes(bytes, locale = "en") {
    return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(bytes);
  }
  function formatRate(bytesPerSecond, locale = "en") {
    const value = Math.max(0, bytesPerSecond) / 1e6;
    return `${new Intl.NumberFormat(locale, { maximumFractionDigits: value >= 100 ? 0 : 1 }).format(value)} MB/s`;
  }
  function formatDuration(seconds) {
    if (!Number.isFinite(seconds) || seconds < 0) return "?";
    const total = Math.ceil(seconds);
    const h3 = Math.floor(total / 3600);
    const m3 = Math.floor(total % 3600 / 60);
    const s3 = total % 60;
    const ss = String(s3).padStart(2, "0");
    return h3 > 0 ? `${h3}:${String(m3).padStart(2, "0")}:${ss}` : `${m3}:${ss}`;
  }
  function percentOf(done, total) {
    if (total === void 0 || !Number.isFinite(total) || total <= 0) return void 0;
    return Math.min(100, Math.max(0, Math.floor(done / total * 100)));
  }
  function groupFingerprint(fingerprint) {
    const clean = fingerprint.replace(/\s+/g, "").toUpperCase();
    const groups = clean.match(/.{1,4}/g) ?? [];
    if (groups.length === 10) return `${groups.slice(0, 5).join(" ")}  ${groups.slice(5).join(" ")}`;
    return groups.join(" ");
  }
  function formatDate(iso, locale = "en", timeZone) {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return iso;
    const options = { dateStyle: "medium", timeStyle: "short" };
    if (timeZone) options.timeZone = timeZone;
    return new Intl.DateTimeFormat(locale, options).format(date);
  }
  function safeHref(url) {
    if (!url) return void 0;
    try {
      const parsed = new URL(url);
      return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : void 0;
    } catch {
      return void 0;
    }
  }
  function hostOf(url) {
    try {
      return new URL(url).host || url;
    } catch {
      return url;
    }
  }

  // node_modules/preact/jsx-runtime/dist/jsxRuntime.module.js
  var f3 = 0;
  function u3(e3, t4, n2, o3, i3, u4) {
    t4 || (t4 = {});
    var a3, c3, p3 = t4;
    if ("ref" in p3) for (c3 in p3 = {}, t4) "ref" == c3 ? a3 = t4[c3] : p3[c3] = t4[c3];
    var l3 = { type: e3, props: p3, key: n2, ref: a3, __k: null, __: null, __b: 0, __e: null, __c: null, constructor: void 0, __v: --f3, __i: -1, __u: 0, __source: i3, __self: u4 };
    if ("function" == typeof e3 && (a3 = e3.defaultProps)) for (c3 in a3) void 0 === p3[c3] && (p3[c3] = a3[c3]);
    return l.vnode && l.vnode(l3), l3;
  }

  // src/ui/components/ProgressView.tsx
  function ProgressView({ progress, label, onCancel, compact = false }) {
    const t4 = useT();
    const locale = localeOf(t4);
    const percent = percentOf(progress.bytes, progress.total);
    const unit = unitFor(progress.total ?? progress.bytes);
    const amount = progress.total !== void 0 ? t4("progress_amount", [formatBytes(progress.bytes, locale, unit), formatBytes(progress.total, locale, unit)]) : formatBytes(progress.bytes, locale);
    const facts = [
      amount,
      percent !== void 0 ? t4("progress_percent", percent) : void 0,
      progress.rate > 0 ? formatRate(progress.rate, locale) : void 0,
      progress.etaSeconds !== void 0 && progress.rate > 0 ? t4("progress_eta", formatDuration(progress.etaSeconds)) : void 0
    ].filter((fact) => fact !== void 0);
    const announced = percent !== void 0 ? t4("progress_announce", [label, Math.floor(percent / 10) * 10]) : label;
    return /* @__PURE__ */ u3("div", { class: `progress${compact ? " progress--compact" : ""}`, "data-testid": "progress", children: [
      /* @__PURE__ */ u3("p", { class: "progress-label", children: label }),
      /* @__PURE__ */ u3(
        "div",
        {
          class: `progress-track${percent === void 0 ? " progress-track--indeterminate" : ""}`,
          role: "progressbar",
          "aria-label": label,
          "aria-valuemin": 0,
          "aria-valuemax": 100,
          "aria-valuenow": percent,
          "aria-valuetext": facts.join(", "),
          children: /* @__PURE__ */ u3("div", { class: "progress-fill", style: { width: `${percent ?? 0}%` } })
        }
      ),
      /* @__PURE__ */ u3("p", { class: "progress-facts", children: facts.join(" \xB7 ") }),
      /* @__PURE__ */ u3("p", { class: "visually-hidden", "aria-live": "polite", "data-testid": "progress-live", children: announced }),
      onCancel ? /* @__PURE__ */ u3("div", { class: "actions", children: /* @__PURE__ */ u3("button", { type: "button", class: "button", onClick: onCancel, "data-testid": "cancel", children: t4("action_cancel") }) }) : null
    ] });
  }

  // src/core/errors.ts
  var IsoVerifyError = class extends Error {
    code;
    detail;
    constructor(code, detail, options) {
      super(detail ? `${code}: ${detail}` : code, options);
      this.name = "IsoVerifyError";
      this.code = code;
      this.detail = detail;
    }
  };
  function messageKey(code) {
    return `err_${code.replace(/-/g, "_")}`;
  }
  function toIsoVerifyError(value, fallback = "internal") {
    if (value instanceof IsoVerifyError) return value;
    if (value instanceof Error && value.name === "AbortError") return new IsoVerifyError("aborted", value.message);
    const detail = value instanceof Error ? value.message : String(value);
    return new IsoVerifyError(fallback, detail, { cause: value });
  }
  function errorInfo(error) {
    const e3 = toIsoVerifyError(error);
    return e3.detail === void 0 ? { code: e3.code } : { code: e3.code, detail: e3.detail };
  }

  // src/ui/components/ErrorText.tsx
  function ErrorText({ error, class: className }) {
    const t4 = useT();
    return /* @__PURE__ */ u3("span", { class: className, "data-error-code": error.code, children: [
      t4(messageKey(error.code)),
      error.detail ? /* @__PURE__ */ u3("span", { class: "error-detail", children: [
        " (",
        error.detail,
        ")"
      ] }) : null
    ] });
  }

  // src/ui/components/icons.tsx
  var PATHS = {
    check: /* @__PURE__ */ u3("path", { d: "M5 12.5l4.5 4.5L19 7.5" }),
    cross: /* @__PURE__ */ u3("path", { d: "M6.5 6.5l11 11M17.5 6.5l-11 11" }),
    warning: /* @__PURE__ */ u3(S, { children: [
      /* @__PURE__ */ u3("path", { d: "M12 3.5L2.5 20h19z" }),
      /* @__PURE__ */ u3("path", { d: "M12 10v4.5M12 17.2v.3" })
    ] }),
    pause: /* @__PURE__ */ u3(S, { children: [
      /* @__PURE__ */ u3("circle", { cx: "12", cy: "12", r: "9" }),
      /* @__PURE__ */ u3("path", { d: "M10 8.5v7M14 8.5v7" })
    ] }),
    minus: /* @__PURE__ */ u3(S, { children: [
      /* @__PURE__ */ u3("circle", { cx: "12", cy: "12", r: "9" }),
      /* @__PURE__ */ u3("path", { d: "M8 12h8" })
    ] }),
    info: /* @__PURE__ */ u3(S, { children: [
      /* @__PURE__ */ u3("circle", { cx: "12", cy: "12", r: "9" }),
      /* @__PURE__ */ u3("path", { d: "M12 11v6M12 7.5v.3" })
    ] }),
    file: /* @__PURE__ */ u3(S, { children: [
      /* @__PURE__ */ u3("path", { d: "M6 2.5h8l4 4v15H6z" }),
      /* @__PURE__ */ u3("path", { d: "M14 2.5v4h4" })
    ] })
  };
  function Icon({ name, class: className }) {
    return /* @__PURE__ */ u3(
      "svg",
      {
        class: `icon ${className ?? ""}`.trim(),
        viewBox: "0 0 24 24",
        width: "24",
        height: "24",
        "aria-hidden": "true",
        focusable: "false",
        fill: "none",
        stroke: "currentColor",
        "stroke-width": "2.2",
        "stroke-linecap": "round",
        "stroke-linejoin": "round",
        children: PATHS[name]
      }
    );
  }

  // src/ui/components/labels.ts
  var snake = (value) => value.replace(/-/g, "_");
  var imageTypeKey = (type) => `type_${type}`;
  var unverifiableReasonKey = (reason) => `unverifiable_${snake(reason)}`;
  var unverifiableTodoKey = (reason) => `unverifiable_${snake(reason)}_todo`;
  var wrongReleaseReasonKey = (reason) => `wrong_release_${snake(reason)}`;
  var inputRoleKey = (role) => `input_${snake(role)}`;
  var signatureOverKey = (over) => `signature_over_${snake(over)}`;
  var rebuilderStateKey = (state) => `rebuilder_${snake(state)}`;
  var phaseKey = (phase) => `phase_${snake(phase)}`;
  var VERDICT_TONE = {
    verified: "good",
    mismatch: "bad",
    incomplete: "warn",
    oversized: "bad",
    "wrong-release": "bad",
    unverifiable: "warn",
    "checksum-only": "weak"
  };
  function allOf(members) {
    return Object.keys(members);
  }
  var UNVERIFIABLE_REASONS = allOf({
    offline: true,
    "descriptor-invalid": true,
    "descriptor-expired": true,
    rollback: true,
    "signature-bad": true,
    "signature-unknown-key": true,
    "key-invalid": true,
    "no-signature": true,
    "hash-failed": true
  });
  var WRONG_RELEASE_REASONS = allOf({
    "other-version": true,
    "older-version": true,
    "other-type": true,
    "other-product": true,
    "unknown-file": true
  });
  var INPUT_ROLES = allOf({
    description: true,
    "description-signature": true,
    "image-signature": true,
    "upgrade-description": true,
    "upgrade-description-signature": true,
    "mirror-pool": true,
    "signing-key": true
  });
  var SIGNATURE_OVER = allOf({ description: true, image: true, "upgrade-description": true });
  var REBUILDER_STATES = allOf({
    reproduced: true,
    mismatch: true,
    failed: true,
    pending: true,
    unknown: true,
    unreachable: true,
    "bad-attestation": true
  });
  var DOWNLOAD_PHASES = allOf({
    downloading: true,
    hashing: true,
    "awaiting-file": true,
    verifying: true,
    done: true,
    interrupted: true,
    cancelled: true
  });
  var IMAGE_TYPES = allOf({ iso: true, img: true });

  // src/ui/components/ReproView.tsx
  function reproSummary(t4, status) {
    const total = status.rebuilders.length;
    if (status.anyMismatch) return { tone: "bad", icon: "cross", headline: t4("repro_mismatch") };
    if (total === 0) return { tone: "weak", icon: "info", headline: t4("repro_none_configured") };
    if (status.met) return { tone: "good", icon: "check", headline: t4("repro_met", [status.reproducedBy, total]) };
    if (status.reproducedBy > 0) return { tone: "weak", icon: "minus", headline: t4("repro_partial", [status.reproducedBy, total, status.threshold]) };
    return { tone: "weak", icon: "minus", headline: t4("repro_not_yet") };
  }
  function ReproView({ status, open = false }) {
    const t4 = useT();
    const locale = localeOf(t4);
    const summary = reproSummary(t4, status);
    return /* @__PURE__ */ u3("section", { class: `repro repro--${summary.tone}`, "data-testid": "repro", "data-repro-met": String(status.met), children: [
      /* @__PURE__ */ u3("p", { class: "repro-headline", children: [
        /* @__PURE__ */ u3(Icon, { name: summary.icon, class: "repro-icon" }),
        /* @__PURE__ */ u3("span", { children: summary.headline })
      ] }),
      status.rebuilders.length ? /* @__PURE__ */ u3("details", { class: "repro-details", open, children: [
        /* @__PURE__ */ u3("summary", { children: t4("repro_show_rebuilders") }),
        /* @__PURE__ */ u3("ul", { class: "rebuilders", children: status.rebuilders.map((rebuilder) => {
          const log = safeHref(rebuilder.buildLogUrl);
          return /* @__PURE__ */ u3("li", { class: "rebuilder", "data-state": rebuilder.state, children: [
            /* @__PURE__ */ u3("span", { class: "rebuilder-name", children: rebuilder.name }),
            /* @__PURE__ */ u3("span", { class: `badge badge--${rebuilder.state === "reproduced" ? "good" : rebuilder.state === "mismatch" ? "bad" : "neutral"}`, children: t4(rebuilderStateKey(rebuilder.state)) }),
            rebuilder.date ? /* @__PURE__ */ u3("span", { class: "muted", children: formatDate(rebuilder.date, locale) }) : null,
            log ? /* @__PURE__ */ u3("a", { href: log, rel: "noopener noreferrer", target: "_blank", children: t4("repro_build_log") }) : null,
            rebuilder.detail ? /* @__PURE__ */ u3("span", { class: "rebuilder-detail muted", children: rebuilder.detail }) : null
          ] }, rebuilder.keyId + rebuilder.name);
        }) }),
        /* @__PURE__ */ u3("p", { class: "muted", children: t4("repro_checked_at", formatDate(status.checkedAt, locale)) })
      ] }) : null
    ] });
  }

  // src/ui/components/EvidenceView.tsx
  function Row({ label, children }) {
    return /* @__PURE__ */ u3("div", { class: "ev-row", children: [
      /* @__PURE__ */ u3("dt", { children: label }),
      /* @__PURE__ */ u3("dd", { children })
    ] });
  }
  function Fingerprint({ value }) {
    return /* @__PURE__ */ u3("code", { class: "fingerprint", children: groupFingerprint(value) });
  }
  function SizeText({ bytes }) {
    const t4 = useT();
    const locale = localeOf(t4);
    return /* @__PURE__ */ u3(S, { children: t4("size_with_exact", [formatBytes(bytes, locale), formatExactBytes(bytes, locale)]) });
  }
  function HashRows({ evidence: evidence2, expected }) {
    const t4 = useT();
    const computed = evidence2.file.sha256;
    const same = expected !== void 0 && computed !== "" && computed.toLowerCase() === expected.sha256.toLowerCase();
    return /* @__PURE__ */ u3(S, { children: [
      expected ? /* @__PURE__ */ u3(Row, { label: t4("ev_sha256_expected"), children: /* @__PURE__ */ u3("code", { class: "hash", children: expected.sha256 }) }) : null,
      /* @__PURE__ */ u3(Row, { label: t4("ev_sha256_computed"), children: [
        /* @__PURE__ */ u3("code", { class: "hash", children: computed || t4("ev_not_computed") }),
        expected ? /* @__PURE__ */ u3("span", { class: `badge ${same ? "badge--good" : "badge--bad"}`, "data-testid": "hash-compare", children: t4(same ? "ev_hash_same" : "ev_hash_differs") }) : null
      ] })
    ] });
  }
  function SignatureItem({ signature }) {
    const t4 = useT();
    const locale = localeOf(t4);
    return /* @__PURE__ */ u3("li", { class: "ev-signature", "data-good": String(signature.good), children: [
      /* @__PURE__ */ u3("p", { class: "ev-signature-title", children: [
        /* @__PURE__ */ u3("span", { class: `badge ${signature.good ? "badge--good" : "badge--bad"}`, children: t4(signature.good ? "ev_signature_good" : "ev_signature_bad") }),
        " ",
        t4(signatureOverKey(signature.over))
      ] }),
      /* @__PURE__ */ u3("dl", { class: "ev-list ev-list--nested", children: [
        signature.primaryFingerprint ? /* @__PURE__ */ u3(Row, { label: t4("ev_primary_key"), children: /* @__PURE__ */ u3(Fingerprint, { value: signature.primaryFingerprint }) }) : null,
        signature.signingKeyFingerprint ? /* @__PURE__ */ u3(Row, { label: t4("ev_signing_key"), children: /* @__PURE__ */ u3(Fingerprint, { value: signature.signingKeyFingerprint }) }) : null,
        signature.keyId && !signature.signingKeyFingerprint ? /* @__PURE__ */ u3(Row, { label: t4("ev_key_id"), children: /* @__PURE__ */ u3(Fingerprint, { value: signature.keyId }) }) : null,
        signature.signatureTime ? /* @__PURE__ */ u3(Row, { label: t4("ev_signature_date"), children: formatDate(signature.signatureTime, locale) }) : null,
        signature.hashAlgorithm || signature.publicKeyAlgorithm ? /* @__PURE__ */ u3(Row, { label: t4("ev_algorithms"), children: [signature.publicKeyAlgorithm, signature.hashAlgorithm].filter(Boolean).join(", ") }) : null,
        signature.error ? /* @__PURE__ */ u3(Row, { label: t4("ev_problem"), children: /* @__PURE__ */ u3(ErrorText, { error: signature.error }) }) : null
      ] })
    ] });
  }
  function EvidenceView({ evidence: evidence2, expected }) {
    const t4 = useT();
    const locale = localeOf(t4);
    const release = expected ?? evidence2.expected;
    return /* @__PURE__ */ u3("div", { class: "evidence-body", "data-testid": "evidence", children: [
      /* @__PURE__ */ u3("dl", { class: "ev-list", children: [
        /* @__PURE__ */ u3(Row, { label: t4("ev_file"), children: /* @__PURE__ */ u3("span", { class: "filename", children: evidence2.file.name }) }),
        /* @__PURE__ */ u3(Row, { label: t4("ev_size"), children: /* @__PURE__ */ u3(SizeText, { bytes: evidence2.file.size }) }),
        release ? /* @__PURE__ */ u3(Row, { label: t4("ev_expected_size"), children: /* @__PURE__ */ u3(SizeText, { bytes: release.size }) }) : null,
        /* @__PURE__ */ u3(HashRows, { evidence: evidence2, expected: release }),
        release ? /* @__PURE__ */ u3(Row, { label: t4("ev_release"), children: [
          t4("release_name", [release.product, release.version, t4(imageTypeKey(release.type))]),
          /* @__PURE__ */ u3("br", {}),
          /* @__PURE__ */ u3("span", { class: "url", children: release.url })
        ] }) : null,
        /* @__PURE__ */ u3(Row, { label: t4("ev_profile"), children: evidence2.profile }),
        /* @__PURE__ */ u3(Row, { label: t4("ev_checked_at"), children: formatDate(evidence2.checkedAt, locale) })
      ] }),
      /* @__PURE__ */ u3("h3", { class: "ev-heading", children: t4("ev_signatures") }),
      evidence2.signatures.length ? /* @__PURE__ */ u3("ul", { class: "ev-signatures", children: evidence2.signatures.map((signature, index) => /* @__PURE__ */ u3(SignatureItem, { signature }, index)) }) : /* @__PURE__ */ u3("p", { class: "muted", children: t4("ev_no_signatures") }),
      /* @__PURE__ */ u3("h3", { class: "ev-heading", children: t4("ev_inputs") }),
      evidence2.inputs.length ? /* @__PURE__ */ u3("ul", { class: "ev-inputs", children: evidence2.inputs.map((input, index) => /* @__PURE__ */ u3("li", { "data-failed": String(input.error !== void 0), children: [
        /* @__PURE__ */ u3("span", { class: "ev-input-role", children: t4(inputRoleKey(input.role)) }),
        input.bytes !== void 0 ? /* @__PURE__ */ u3("span", { class: "muted", children: [
          " \xB7 ",
          formatBytes(input.bytes, locale)
        ] }) : null,
        input.fetchedAt ? /* @__PURE__ */ u3("span", { class: "muted", children: [
          " \xB7 ",
          formatDate(input.fetchedAt, locale)
        ] }) : null,
        /* @__PURE__ */ u3("br", {}),
        /* @__PURE__ */ u3("span", { class: "url", children: input.source }),
        input.error ? /* @__PURE__ */ u3(S, { children: [
          /* @__PURE__ */ u3("br", {}),
          /* @__PURE__ */ u3(ErrorText, { class: "ev-input-error", error: input.error })
        ] }) : null
      ] }, index)) }) : /* @__PURE__ */ u3("p", { class: "muted", children: t4("ev_no_inputs") })
    ] });
  }

  // src/ui/components/VerdictView.tsx
  var TONE_ICON = { good: "check", bad: "cross", warn: "warning", weak: "minus" };
  function releaseName(t4, expected) {
    return t4("release_name", [expected.product, expected.version, t4(imageTypeKey(expected.type))]);
  }
  function verdictWording(t4, verdict, locale) {
    switch (verdict.kind) {
      case "verified":
        return {
          headline: t4("verdict_verified", [releaseName(t4, verdict.expected), verdict.expected.product]),
          explanation: [t4("verdict_verified_explain", [verdict.expected.product, formatDate(verdict.signer.signatureTime, locale)])]
        };
      case "mismatch":
        return {
          headline: t4("verdict_mismatch", verdict.expected.product),
          explanation: [t4("verdict_mismatch_explain", releaseName(t4, verdict.expected))]
        };
      case "incomplete": {
        const unit = unitFor(verdict.expected.size);
        return {
          headline: t4("verdict_incomplete", [formatBytes(verdict.evidence.file.size, locale, unit), formatBytes(verdict.expected.size, locale, unit)]),
          explanation: [t4("verdict_incomplete_explain", releaseName(t4, verdict.expected))]
        };
      }
      case "oversized":
        return {
          headline: t4("verdict_oversized", releaseName(t4, verdict.expected)),
          explanation: [t4("verdict_oversized_explain", [formatBytes(verdict.extraBytes, locale), verdict.expected.product])]
        };
      case "wrong-release": {
        const expected = verdict.expected;
        const reason = expected ? t4(wrongReleaseReasonKey(verdict.reason), [expected.product, expected.version, t4(imageTypeKey(expected.type))]) : t4("wrong_release_no_expected");
        return {
          headline: expected ? t4("verdict_wrong_release", [verdict.evidence.file.name, releaseName(t4, expected)]) : t4("verdict_wrong_release_unknown", verdict.evidence.file.name),
          explanation: [reason, t4("verdict_wrong_release_todo")]
        };
      }
      case "unverifiable":
        return {
          headline: t4("verdict_unverifiable"),
          explanation: [t4(unverifiableReasonKey(verdict.reason)), /* @__PURE__ */ u3(ErrorText, { class: "verdict-error", error: verdict.error }), t4(unverifiableTodoKey(verdict.reason))]
        };
      case "checksum-only":
        return {
          headline: t4("verdict_checksum_only"),
          explanation: [
            t4("verdict_checksum_only_explain", releaseName(t4, verdict.expected)),
            verdict.error ? /* @__PURE__ */ u3(ErrorText, { class: "verdict-error", error: verdict.error }) : null
          ].filter((part) => part !== null)
        };
    }
  }
  function expectedOf(verdict) {
    return "expected" in verdict ? verdict.expected : void 0;
  }
  function VerdictView({ verdict, onResume, alternativeUrl, compact = false, evidenceOpen = false, live = true }) {
    const t4 = useT();
    const locale = localeOf(t4);
    const tone = VERDICT_TONE[verdict.kind];
    const wording = verdictWording(t4, verdict, locale);
    const otherMirror = verdict.kind === "mismatch" ? safeHref(alternativeUrl) : void 0;
    const explanation = /* @__PURE__ */ u3("div", { class: "verdict-explain", children: wording.explanation.map((part, index) => /* @__PURE__ */ u3("p", { children: part }, index)) });
    const actions = verdict.kind === "incomplete" && onResume || otherMirror ? /* @__PURE__ */ u3("div", { class: "actions", children: [
      verdict.kind === "incomplete" && onResume ? /* @__PURE__ */ u3("button", { type: "button", class: "button button--primary", onClick: onResume, "data-testid": "resume", children: t4("action_resume_download") }) : null,
      otherMirror ? /* @__PURE__ */ u3("a", { class: "button button--primary", href: otherMirror, rel: "noopener noreferrer", "data-testid": "other-mirror", children: t4("action_other_mirror") }) : null
    ] }) : null;
    return /* @__PURE__ */ u3(
      "section",
      {
        class: `verdict verdict--${tone}${compact ? " verdict--compact" : ""}`,
        "data-testid": "verdict",
        "data-verdict": verdict.kind,
        "aria-live": live ? "polite" : void 0,
        children: [
          /* @__PURE__ */ u3("p", { class: "verdict-headline", children: [
            /* @__PURE__ */ u3(Icon, { name: TONE_ICON[tone], class: "verdict-icon" }),
            /* @__PURE__ */ u3("span", { class: "verdict-text", "data-testid": "verdict-headline", children: wording.headline })
          ] }),
          compact ? null : explanation,
          actions,
          /* @__PURE__ */ u3("details", { class: "evidence", open: evidenceOpen, children: [
            /* @__PURE__ */ u3("summary", { children: t4(compact ? "verdict_more" : "evidence_show") }),
            compact ? explanation : null,
            /* @__PURE__ */ u3(EvidenceView, { evidence: verdict.evidence, expected: expectedOf(verdict) })
          ] })
        ]
      }
    );
  }

  // src/ui/components/DownloadList.tsx
  function sortDownloads(downloads2) {
    return [...downloads2].sort((a3, b2) => b2.startedAt.localeCompare(a3.startedAt));
  }
  function downloadProgress(download) {
    if (download.phase === "downloading") {
      const progress = { bytes: download.receivedBytes, rate: download.progress?.rate ?? 0 };
      if (download.totalBytes !== void 0) progress.total = download.totalBytes;
      if (download.progress?.etaSeconds !== void 0) progress.etaSeconds = download.progress.etaSeconds;
      return progress;
    }
    return download.progress ?? { bytes: 0, rate: 0, ...download.totalBytes !== void 0 ? { total: download.totalBytes } : {} };
  }
  function canResume(download) {
    return download.phase === "interrupted" || download.verdict?.kind === "incomplete";
  }
  function DownloadItem({ download, ...handlers }) {
    const t4 = useT();
    const { id, phase } = download;
    const inProgress = phase === "downloading" || phase === "hashing" || phase === "verifying";
    return /* @__PURE__ */ u3("li", { class: "download", "data-testid": "download", "data-id": id, "data-phase": phase, children: [
      /* @__PURE__ */ u3("div", { class: "download-head", children: [
        /* @__PURE__ */ u3(Icon, { name: "file", class: "download-icon" }),
        /* @__PURE__ */ u3("div", { class: "download-title", children: [
          /* @__PURE__ */ u3("span", { class: "filename", children: download.fileName }),
          /* @__PURE__ */ u3("span", { class: "muted download-mirror", children: t4("download_from", hostOf(download.mirror || download.finalUrl)) })
        ] })
      ] }),
      inProgress ? /* @__PURE__ */ u3(
        ProgressView,
        {
          compact: true,
          progress: downloadProgress(download),
          label: t4(phaseKey(phase)),
          ...handlers.onCancel ? { onCancel: () => handlers.onCancel(id) } : {}
        }
      ) : null,
      phase === "awaiting-file" ? /* @__PURE__ */ u3("p", { class: "download-status", children: t4("download_awaiting_file") }) : null,
      phase === "interrupted" ? /* @__PURE__ */ u3("p", { class: "download-status", children: t4("phase_interrupted") }) : null,
      phase === "cancelled" ? /* @__PURE__ */ u3("p", { class: "download-status muted", children: t4("phase_cancelled") }) : null,
      phase === "done" && download.verdict ? /* @__PURE__ */ u3(VerdictView, { compact: true, live: true, verdict: download.verdict, ...canResume(download) ? { onResume: () => handlers.onResume(id) } : {} }) : null,
      phase === "done" && download.repro ? /* @__PURE__ */ u3(ReproView, { status: download.repro }) : null,
      download.error ? /* @__PURE__ */ u3("p", { class: "download-error", children: /* @__PURE__ */ u3(ErrorText, { error: download.error }) }) : null,
      /* @__PURE__ */ u3("div", { class: "actions actions--small", children: [
        phase === "interrupted" ? /* @__PURE__ */ u3("button", { type: "button", class: "button button--primary", onClick: () => handlers.onResume(id), children: t4("action_resume_download") }) : null,
        phase !== "downloading" && phase !== "cancelled" ? /* @__PURE__ */ u3(
          "button",
          {
            type: "button",
            class: `button${phase === "awaiting-file" ? " button--primary" : ""}`,
            onClick: () => handlers.onOpenVerify(id),
            "data-testid": "open-verify",
            children: t4("action_open_verify_page")
          }
        ) : null,
        download.error && handlers.onRetry ? /* @__PURE__ */ u3("button", { type: "button", class: "button", onClick: () => handlers.onRetry(id), children: t4("action_retry") }) : null,
        !inProgress ? /* @__PURE__ */ u3("button", { type: "button", class: "button button--quiet", onClick: () => handlers.onForget(id), "data-testid": "forget", children: t4("action_forget") }) : null
      ] })
    ] });
  }
  function DownloadList(props) {
    const t4 = useT();
    if (props.downloads.length === 0) {
      return /* @__PURE__ */ u3("div", { class: "empty", "data-testid": "downloads-empty", children: [
        /* @__PURE__ */ u3("p", { class: "empty-title", children: t4("popup_empty_title") }),
        /* @__PURE__ */ u3("p", { children: t4("popup_empty_body") })
      ] });
    }
    const { downloads: downloads2, ...handlers } = props;
    return /* @__PURE__ */ u3("ul", { class: "downloads", "data-testid": "downloads", children: sortDownloads(downloads2).map((download) => /* @__PURE__ */ u3(DownloadItem, { download, ...handlers }, download.id)) });
  }

  // src/ui/components/PopupView.tsx
  function PopupView({ downloads: downloads2, onOpenVerify, onOpenSettings, ...handlers }) {
    const t4 = useT();
    return /* @__PURE__ */ u3("main", { class: "popup-main", children: [
      /* @__PURE__ */ u3("header", { class: "page-header", children: [
        /* @__PURE__ */ u3("h1", { class: "page-title", children: t4("extName") }),
        /* @__PURE__ */ u3("button", { type: "button", class: "button button--quiet", onClick: onOpenSettings, children: t4("action_settings") })
      ] }),
      downloads2 === void 0 ? /* @__PURE__ */ u3("p", { class: "muted", children: t4("loading") }) : /* @__PURE__ */ u3(DownloadList, { downloads: downloads2, onOpenVerify: (id) => onOpenVerify(id), ...handlers }),
      /* @__PURE__ */ u3("footer", { class: "popup-footer", children: /* @__PURE__ */ u3("button", { type: "button", class: "button", onClick: () => onOpenVerify(), "data-testid": "verify-a-file", children: t4("action_verify_a_file") }) })
    ] });
  }

  // src/ui/pages/OptionsPage.tsx
  function FileAccessText({ fileAccess }) {
    const t4 = useT();
    if (fileAccess === true) return /* @__PURE__ */ u3("p", { "data-testid": "file-access", "data-allowed": "true", children: t4("options_file_access_yes") });
    if (fileAccess === false) {
      return /* @__PURE__ */ u3("div", { "data-testid": "file-access", "data-allowed": "false", children: [
        /* @__PURE__ */ u3("p", { children: t4("options_file_access_no") }),
        /* @__PURE__ */ u3("ol", { class: "steps", children: [
          /* @__PURE__ */ u3("li", { children: t4("options_file_access_step1") }),
          /* @__PURE__ */ u3("li", { children: t4("options_file_access_step2") }),
          /* @__PURE__ */ u3("li", { children: t4("options_file_access_step3") })
        ] })
      ] });
    }
    return /* @__PURE__ */ u3("p", { "data-testid": "file-access", "data-allowed": "unknown", children: t4("options_file_access_unknown") });
  }
  function OptionsPage({ profile: profile2, loadState }) {
    const t4 = useT();
    const [state, setState] = d2(void 0);
    h2(() => {
      loadState().then(setState, () => void 0);
    }, []);
    const site = safeHref(profile2.officialSite);
    return /* @__PURE__ */ u3("main", { class: "page-main", children: [
      /* @__PURE__ */ u3("header", { class: "page-header", children: /* @__PURE__ */ u3("h1", { class: "page-title", children: t4("options_title") }) }),
      /* @__PURE__ */ u3("section", { class: "card", children: [
        /* @__PURE__ */ u3("h2", { children: t4("options_profile_heading") }),
        /* @__PURE__ */ u3("dl", { class: "ev-list", children: [
          /* @__PURE__ */ u3("div", { class: "ev-row", children: [
            /* @__PURE__ */ u3("dt", { children: t4("options_profile") }),
            /* @__PURE__ */ u3("dd", { "data-testid": "profile-id", children: profile2.id })
          ] }),
          /* @__PURE__ */ u3("div", { class: "ev-row", children: [
            /* @__PURE__ */ u3("dt", { children: t4("options_official_site") }),
            /* @__PURE__ */ u3("dd", { children: site ? /* @__PURE__ */ u3("a", { href: site, target: "_blank", rel: "noopener noreferrer", children: profile2.officialSite }) : profile2.officialSite })
          ] }),
          /* @__PURE__ */ u3("div", { class: "ev-row", children: [
            /* @__PURE__ */ u3("dt", { children: t4("options_pinned_keys") }),
            /* @__PURE__ */ u3("dd", { children: /* @__PURE__ */ u3("ul", { class: "plain-list", children: profile2.pinnedFingerprints.map((fingerprint) => /* @__PURE__ */ u3("li", { children: /* @__PURE__ */ u3("code", { class: "fingerprint", children: groupFingerprint(fingerprint) }) }, fingerprint)) }) })
          ] }),
          /* @__PURE__ */ u3("div", { class: "ev-row", children: [
            /* @__PURE__ */ u3("dt", { children: t4("options_rebuilders") }),
            /* @__PURE__ */ u3("dd", { children: profile2.rebuilders.length ? t4("options_rebuilders_value", [profile2.rebuilders.map((r3) => r3.name).join(", "), profile2.reproThreshold]) : t4("options_rebuilders_none") })
          ] })
        ] }),
        /* @__PURE__ */ u3("p", { class: "muted", children: t4("options_pinned_explain") })
      ] }),
      /* @__PURE__ */ u3("section", { class: "card", children: [
        /* @__PURE__ */ u3("h2", { children: t4("options_file_access_heading") }),
        /* @__PURE__ */ u3(FileAccessText, { fileAccess: state?.fileAccess })
      ] }),
      /* @__PURE__ */ u3("section", { class: "card", children: [
        /* @__PURE__ */ u3("h2", { children: t4("options_tools_heading") }),
        /* @__PURE__ */ u3("p", { children: [
          /* @__PURE__ */ u3("a", { class: "button", href: "verify.html", children: t4("action_verify_a_file") }),
          " ",
          /* @__PURE__ */ u3("a", { class: "button", href: "mirror-check.html", children: t4("options_check_mirror") })
        ] })
      ] })
    ] });
  }

  // src/ui/components/FilePicker.tsx
  function FilePicker({ onFile, expectedName, disabled = false, inputId = "file-input" }) {
    const t4 = useT();
    const [dragging, setDragging] = d2(false);
    const take = (files) => {
      const file = files?.[0];
      if (file && !disabled) onFile(file);
    };
    return /* @__PURE__ */ u3(
      "div",
      {
        class: `dropzone${dragging ? " dropzone--over" : ""}${disabled ? " dropzone--disabled" : ""}`,
        "data-testid": "dropzone",
        onDragOver: (event) => {
          event.preventDefault();
          if (!disabled) setDragging(true);
        },
        onDragLeave: () => setDragging(false),
        onDrop: (event) => {
          event.preventDefault();
          setDragging(false);
          take(event.dataTransfer?.files);
        },
        children: [
          /* @__PURE__ */ u3(Icon, { name: "file", class: "dropzone-icon" }),
          /* @__PURE__ */ u3("p", { class: "dropzone-title", id: `${inputId}-title`, children: expectedName ? t4("verify_choose_named", expectedName) : t4("verify_choose") }),
          /* @__PURE__ */ u3(
            "input",
            {
              type: "file",
              id: inputId,
              class: "file-input",
              "data-testid": "file-input",
              disabled,
              "aria-describedby": `${inputId}-title ${inputId}-hint`,
              onChange: (event) => {
                const input = event.currentTarget;
                take(input.files);
                input.value = "";
              }
            }
          ),
          /* @__PURE__ */ u3("label", { for: inputId, class: "button button--primary", children: t4("verify_pick_button") }),
          /* @__PURE__ */ u3("p", { class: "muted", id: `${inputId}-hint`, children: t4("verify_drop_hint") })
        ]
      }
    );
  }

  // src/ui/pages/verify-flow.ts
  async function runVerification(file, deps, callbacks) {
    const { signal } = callbacks;
    const material = deps.fetchMaterial(file.name, signal);
    material.catch(() => void 0);
    const hashed = await deps.hash(file, { onProgress: callbacks.onProgress, signal });
    callbacks.onHashed?.();
    const sha256 = hashed.digests.sha256;
    if (!sha256) throw new IsoVerifyError("internal", "the hashing worker returned no SHA-256");
    const facts = { name: file.name, size: hashed.bytes, sha256 };
    if (hashed.digests.sha512) facts.sha512 = hashed.digests.sha512;
    const verdict = await deps.decide(await material, facts, hashed.continuations);
    callbacks.onVerdict(verdict);
    if (verdict.kind !== "verified" || !deps.repro) return { verdict };
    try {
      return { verdict, repro: await deps.repro(verdict, signal) };
    } catch {
      return { verdict };
    }
  }

  // src/ui/pages/verify-id.ts
  function downloadIdFrom(search) {
    const id = new URLSearchParams(search).get("download");
    return id && /^[A-Za-z0-9_-]{1,64}$/.test(id) ? id : void 0;
  }

  // src/ui/pages/VerifyPage.tsx
  function VerifyPage({ deps, search, findDownload, attachVerdict }) {
    const t4 = useT();
    const downloadId = downloadIdFrom(search);
    const [tracked2, setTracked] = d2(void 0);
    const [stage, setStage] = d2({ step: "idle" });
    const controller = A2(void 0);
    h2(() => {
      if (!downloadId) return;
      findDownload(downloadId).then(setTracked, () => void 0);
    }, [downloadId]);
    h2(() => () => controller.current?.abort(), []);
    const verify = async (file) => {
      controller.current?.abort();
      const abort = new AbortController();
      controller.current = abort;
      setStage({ step: "hashing", fileName: file.name, progress: { bytes: 0, total: file.size, rate: 0 } });
      try {
        const outcome = await runVerification(file, deps, {
          signal: abort.signal,
          onProgress: (progress) => !abort.signal.aborted && setStage({ step: "hashing", fileName: file.name, progress }),
          onHashed: () => !abort.signal.aborted && setStage({ step: "deciding", fileName: file.name }),
          onVerdict: (verdict) => !abort.signal.aborted && setStage({ step: "done", verdict, reproPending: verdict.kind === "verified" && deps.repro !== void 0 })
        });
        if (abort.signal.aborted) return;
        setStage({ step: "done", verdict: outcome.verdict, ...outcome.repro ? { repro: outcome.repro } : {}, reproPending: false });
        if (tracked2) await attachVerdict({ type: "attach-verdict", id: tracked2.id, verdict: outcome.verdict, ...outcome.repro ? { repro: outcome.repro } : {} }).catch(() => void 0);
      } catch (error) {
        const info = errorInfo(error);
        setStage(info.code === "aborted" ? { step: "cancelled" } : { step: "failed", error: info });
      }
    };
    const busy = stage.step === "hashing" || stage.step === "deciding";
    return /* @__PURE__ */ u3("main", { class: "page-main", children: [
      /* @__PURE__ */ u3("header", { class: "page-header", children: /* @__PURE__ */ u3("h1", { class: "page-title", children: t4("verify_title") }) }),
      /* @__PURE__ */ u3("p", { class: "lead", children: t4("verify_intro") }),
      /* @__PURE__ */ u3(FilePicker, { onFile: (file) => void verify(file), disabled: busy, ...tracked2 ? { expectedName: tracked2.fileName } : {} }),
      /* @__PURE__ */ u3("div", { class: "result", "aria-live": "polite", children: [
        stage.step === "hashing" ? /* @__PURE__ */ u3(ProgressView, { progress: stage.progress, label: t4("verify_hashing", stage.fileName), onCancel: () => controller.current?.abort() }) : null,
        stage.step === "deciding" ? /* @__PURE__ */ u3("p", { class: "status-line", children: t4("verify_deciding") }) : null,
        stage.step === "cancelled" ? /* @__PURE__ */ u3("p", { class: "status-line", children: t4("verify_cancelled") }) : null,
        stage.step === "failed" ? /* @__PURE__ */ u3("p", { class: "status-line status-line--bad", "data-testid": "verify-error", children: /* @__PURE__ */ u3(ErrorText, { error: stage.error }) }) : null,
        stage.step === "done" ? /* @__PURE__ */ u3(S, { children: [
          /* @__PURE__ */ u3(VerdictView, { verdict: stage.verdict, live: false, evidenceOpen: false }),
          stage.repro ? /* @__PURE__ */ u3(ReproView, { status: stage.repro }) : null,
          stage.reproPending ? /* @__PURE__ */ u3("p", { class: "status-line muted", children: t4("repro_checking") }) : null
        ] }) : null
      ] })
    ] });
  }

  // public/_locales/de/messages.json
  var messages_default = {
    extName: { message: "ISO Verify", description: "Extension name" },
    extDescription: { message: "Pr\xFCft heruntergeladene Betriebssystem-Images (Tails) anhand signierter Ver\xF6ffentlichungsdaten.", description: "Extension description" },
    loading: { message: "Wird geladen \u2026" },
    type_iso: { message: "ISO-Image" },
    type_img: { message: "USB-Image (IMG)" },
    release_name: { message: "$PRODUCT$ $VERSION$, $TYPE$", placeholders: { product: { content: "$1" }, version: { content: "$2" }, type: { content: "$3" } } },
    size_with_exact: { message: "$SIZE$ ($BYTES$ Bytes)", placeholders: { size: { content: "$1" }, bytes: { content: "$2" } } },
    verdict_verified: { message: "Gepr\xFCft: $RELEASE$, signiert von $SIGNER$", placeholders: { release: { content: "$1" }, signer: { content: "$2" } } },
    verdict_verified_explain: { message: "Diese Datei ist genau das Image, das $PRODUCT$ ver\xF6ffentlicht hat, und ihre Signatur (erstellt $DATE$) ist g\xFCltig. Sie k\xF6nnen sie verwenden.", placeholders: { product: { content: "$1" }, date: { content: "$2" } } },
    verdict_mismatch: { message: "Verwenden Sie diese Datei nicht: Es ist nicht die Datei, die $PRODUCT$ ver\xF6ffentlicht hat", placeholders: { product: { content: "$1" } } },
    verdict_mismatch_explain: { message: "Sie hat die Gr\xF6\xDFe von $RELEASE$, aber einen anderen Inhalt: Sie wurde besch\xE4digt oder ver\xE4ndert, m\xF6glicherweise vom Spiegelserver. L\xF6schen Sie sie und laden Sie sie erneut herunter, am besten von einem anderen Spiegelserver.", placeholders: { release: { content: "$1" } } },
    verdict_incomplete: { message: "Der Download ist unvollst\xE4ndig ($RECEIVED$ von $TOTAL$)", placeholders: { received: { content: "$1" }, total: { content: "$2" } } },
    verdict_incomplete_explain: { message: "Der Download von $RELEASE$ wurde vor dem Ende abgebrochen. Setzen Sie ihn fort; die Datei wird erneut gepr\xFCft, sobald sie vollst\xE4ndig ist.", placeholders: { release: { content: "$1" } } },
    verdict_oversized: { message: "Verwenden Sie diese Datei nicht: Sie ist gr\xF6\xDFer als $RELEASE$", placeholders: { release: { content: "$1" } } },
    verdict_oversized_explain: { message: "Sie ist $EXTRA$ gr\xF6\xDFer als das Image, das $PRODUCT$ ver\xF6ffentlicht hat, also ist sie nicht dieses Image. Laden Sie das Image erneut herunter.", placeholders: { extra: { content: "$1" }, product: { content: "$2" } } },
    verdict_wrong_release: { message: "$FILE$ ist nicht $RELEASE$", placeholders: { file: { content: "$1" }, release: { content: "$2" } } },
    verdict_wrong_release_unknown: { message: "$FILE$ ist kein Image der aktuellen Version", placeholders: { file: { content: "$1" } } },
    verdict_wrong_release_todo: { message: "Installieren Sie nicht damit. Laden Sie das aktuelle Image von der offiziellen Website herunter." },
    wrong_release_other_version: { message: "Es ist eine andere Version von $PRODUCT$. Gepr\xFCft wurde gegen die Version $VERSION$.", placeholders: { product: { content: "$1" }, version: { content: "$2" }, type: { content: "$3" } } },
    wrong_release_older_version: { message: "Es ist eine \xE4ltere Version von $PRODUCT$. Die aktuelle Version ist $VERSION$; \xE4ltere Versionen haben bekannte Sicherheitsl\xFCcken.", placeholders: { product: { content: "$1" }, version: { content: "$2" }, type: { content: "$3" } } },
    wrong_release_other_type: { message: "Es ist eine andere Art von Image als das $TYPE$ von $PRODUCT$ $VERSION$.", placeholders: { product: { content: "$1" }, version: { content: "$2" }, type: { content: "$3" } } },
    wrong_release_other_product: { message: "Es ist das Image eines anderen Produkts, nicht von $PRODUCT$.", placeholders: { product: { content: "$1" }, version: { content: "$2" }, type: { content: "$3" } } },
    wrong_release_unknown_file: { message: "Ihr Name passt zu keinem Image von $PRODUCT$ $VERSION$.", placeholders: { product: { content: "$1" }, version: { content: "$2" }, type: { content: "$3" } } },
    wrong_release_no_expected: { message: "Die aktuellen Ver\xF6ffentlichungsdaten beschreiben keine solche Datei." },
    verdict_unverifiable: { message: "Diese Datei konnte nicht gepr\xFCft werden" },
    unverifiable_offline: { message: "Die Ver\xF6ffentlichungsdaten konnten nicht heruntergeladen werden." },
    unverifiable_offline_todo: { message: "Pr\xFCfen Sie Ihre Internetverbindung und versuchen Sie es erneut." },
    unverifiable_descriptor_invalid: { message: "Die Ver\xF6ffentlichungsdaten sind fehlerhaft oder unvollst\xE4ndig." },
    unverifiable_descriptor_invalid_todo: { message: "Versuchen Sie es sp\xE4ter erneut. Wenn das wiederholt passiert, informieren Sie das Projekt." },
    unverifiable_descriptor_expired: { message: "Die signierten Ver\xF6ffentlichungsdaten sind zu alt, um ihnen zu vertrauen." },
    unverifiable_descriptor_expired_todo: { message: "Versuchen Sie es sp\xE4ter erneut, wenn das Projekt neue Daten ver\xF6ffentlicht hat." },
    unverifiable_rollback: { message: "Die Ver\xF6ffentlichungsdaten sind \xE4lter als hier bereits gesehene Daten: Jemand spielt m\xF6glicherweise eine alte Version ein." },
    unverifiable_rollback_todo: { message: "Verwenden Sie diese Datei nicht. Versuchen Sie es sp\xE4ter oder aus einem anderen Netzwerk erneut." },
    unverifiable_signature_bad: { message: "Die Signatur passt nicht: Die Ver\xF6ffentlichungsdaten oder die Datei wurden ver\xE4ndert." },
    unverifiable_signature_bad_todo: { message: "Verwenden Sie diese Datei nicht. Laden Sie sie erneut von einem anderen Spiegelserver herunter." },
    unverifiable_signature_unknown_key: { message: "Die Signatur stammt nicht vom hinterlegten Signaturschl\xFCssel des Projekts." },
    unverifiable_signature_unknown_key_todo: { message: "Verwenden Sie diese Datei nicht. Laden Sie sie erneut von der offiziellen Website herunter." },
    unverifiable_key_invalid: { message: "Der Signaturschl\xFCssel ist abgelaufen, widerrufen, zu schwach oder nicht der hinterlegte Schl\xFCssel." },
    unverifiable_key_invalid_todo: { message: "Aktualisieren Sie ISO Verify und pr\xFCfen Sie die Datei dann erneut." },
    unverifiable_no_signature: { message: "Keine signierten Ver\xF6ffentlichungsdaten decken diese Datei ab, und keine ver\xF6ffentlichte Pr\xFCfsumme passt zu ihr." },
    unverifiable_no_signature_todo: { message: "Pr\xFCfen Sie, ob Sie das auf der offiziellen Website verlinkte Image heruntergeladen haben." },
    unverifiable_hash_failed: { message: "Die Datei konnte nicht gelesen werden." },
    unverifiable_hash_failed_todo: { message: "Stellen Sie sicher, dass der Download abgeschlossen ist, und w\xE4hlen Sie die Datei dann erneut." },
    verdict_checksum_only: { message: "Passt nur zu einer unsignierten Pr\xFCfsumme \u2013 nicht durch eine Signatur best\xE4tigt" },
    verdict_checksum_only_explain: { message: "Die Datei passt zur f\xFCr $RELEASE$ ver\xF6ffentlichten Pr\xFCfsumme, aber keine Signatur best\xE4tigt diese Pr\xFCfsumme: Wer die Website oder Ihre Verbindung kontrolliert, h\xE4tte beides ver\xE4ndern k\xF6nnen.", placeholders: { release: { content: "$1" } } },
    verdict_more: { message: "Warum, und was gepr\xFCft wurde" },
    evidence_show: { message: "Zeigen, was gepr\xFCft wurde" },
    ev_file: { message: "Datei" },
    ev_size: { message: "Gr\xF6\xDFe" },
    ev_expected_size: { message: "Erwartete Gr\xF6\xDFe" },
    ev_sha256_expected: { message: "Erwartete SHA-256" },
    ev_sha256_computed: { message: "Berechnete SHA-256" },
    ev_not_computed: { message: "nicht berechnet" },
    ev_hash_same: { message: "gleich" },
    ev_hash_differs: { message: "verschieden" },
    ev_release: { message: "Version" },
    ev_profile: { message: "Profil" },
    ev_checked_at: { message: "Gepr\xFCft am" },
    ev_signatures: { message: "Signaturen" },
    ev_no_signatures: { message: "Es wurde keine Signatur gepr\xFCft." },
    ev_inputs: { message: "Verwendete Ver\xF6ffentlichungsdaten" },
    ev_no_inputs: { message: "Es wurden keine Ver\xF6ffentlichungsdaten bezogen." },
    ev_signature_good: { message: "g\xFCltig" },
    ev_signature_bad: { message: "ung\xFCltig" },
    ev_primary_key: { message: "Hauptschl\xFCssel" },
    ev_signing_key: { message: "Signaturschl\xFCssel" },
    ev_key_id: { message: "Schl\xFCssel-ID" },
    ev_signature_date: { message: "Signiert am" },
    ev_algorithms: { message: "Algorithmen" },
    ev_problem: { message: "Problem" },
    signature_over_description: { message: "\xFCber die Image-Beschreibung" },
    signature_over_image: { message: "\xFCber die Image-Datei" },
    signature_over_upgrade_description: { message: "\xFCber die Upgrade-Beschreibung" },
    input_description: { message: "Image-Beschreibung" },
    input_description_signature: { message: "Signatur der Image-Beschreibung" },
    input_image_signature: { message: "Signatur des Images" },
    input_upgrade_description: { message: "Upgrade-Beschreibung" },
    input_upgrade_description_signature: { message: "Signatur der Upgrade-Beschreibung" },
    input_mirror_pool: { message: "Liste der Spiegelserver" },
    input_signing_key: { message: "Signaturschl\xFCssel" },
    repro_mismatch: { message: "Ein Nachbauer hat andere Bytes erhalten" },
    repro_none_configured: { message: "F\xFCr dieses Projekt sind keine unabh\xE4ngigen Nachbauer eingerichtet" },
    repro_met: { message: "Unabh\xE4ngig nachgebaut von $COUNT$ von $TOTAL$ Nachbauern", placeholders: { count: { content: "$1" }, total: { content: "$2" } } },
    repro_partial: { message: "Nachgebaut von $COUNT$ von $TOTAL$ Nachbauern ($NEEDED$ erforderlich)", placeholders: { count: { content: "$1" }, total: { content: "$2" }, needed: { content: "$3" } } },
    repro_not_yet: { message: "Noch nicht nachgebaut" },
    repro_show_rebuilders: { message: "Nachbauer" },
    repro_build_log: { message: "Build-Protokoll" },
    repro_checked_at: { message: "Abgefragt am $DATE$", placeholders: { date: { content: "$1" } } },
    repro_checking: { message: "Unabh\xE4ngige Nachbauer werden gefragt \u2026" },
    rebuilder_reproduced: { message: "nachgebaut" },
    rebuilder_mismatch: { message: "andere Bytes" },
    rebuilder_failed: { message: "Build fehlgeschlagen" },
    rebuilder_pending: { message: "noch nicht gebaut" },
    rebuilder_unknown: { message: "kennt diese Datei nicht" },
    rebuilder_unreachable: { message: "nicht erreichbar" },
    rebuilder_bad_attestation: { message: "ung\xFCltige Best\xE4tigung" },
    progress_amount: { message: "$DONE$ von $TOTAL$", placeholders: { done: { content: "$1" }, total: { content: "$2" } } },
    progress_percent: { message: "$PERCENT$ %", placeholders: { percent: { content: "$1" } } },
    progress_eta: { message: "noch $TIME$", placeholders: { time: { content: "$1" } } },
    progress_announce: { message: "$LABEL$ $PERCENT$ %", placeholders: { label: { content: "$1" }, percent: { content: "$2" } } },
    phase_downloading: { message: "Wird heruntergeladen \u2026" },
    phase_hashing: { message: "Datei wird gepr\xFCft \u2026" },
    phase_awaiting_file: { message: "Wartet darauf, dass Sie die Datei ausw\xE4hlen" },
    phase_verifying: { message: "Signatur wird gepr\xFCft \u2026" },
    phase_done: { message: "Fertig" },
    phase_interrupted: { message: "Der Download wurde unterbrochen." },
    phase_cancelled: { message: "Abgebrochen." },
    download_from: { message: "von $HOST$", placeholders: { host: { content: "$1" } } },
    download_awaiting_file: { message: "Der Browser erlaubt ISO Verify nicht, diese Datei selbst zu lesen. \xD6ffnen Sie die Pr\xFCfseite und w\xE4hlen Sie sie aus." },
    popup_empty_title: { message: "Noch keine Downloads zu pr\xFCfen" },
    popup_empty_body: { message: "Wenn Sie ein Tails-Image von der offiziellen Website oder einem ihrer Spiegelserver herunterladen, pr\xFCft ISO Verify es anhand der signierten Ver\xF6ffentlichungsdaten und zeigt das Ergebnis hier an. Sie k\xF6nnen auch eine Datei pr\xFCfen, die Sie bereits haben." },
    action_resume_download: { message: "Download fortsetzen" },
    action_other_mirror: { message: "Von einem anderen Spiegelserver herunterladen" },
    action_cancel: { message: "Abbrechen" },
    action_open_verify_page: { message: "Pr\xFCfseite \xF6ffnen" },
    action_retry: { message: "Erneut versuchen" },
    action_forget: { message: "Vergessen" },
    action_settings: { message: "Einstellungen" },
    action_verify_a_file: { message: "Eine Datei auf diesem Computer pr\xFCfen" },
    verify_title: { message: "Heruntergeladenes Image pr\xFCfen" },
    verify_intro: { message: "ISO Verify pr\xFCft die Datei auf diesem Computer anhand der vom Projekt signierten Ver\xF6ffentlichungsdaten. Die Datei wird nirgendwohin hochgeladen." },
    verify_choose: { message: "W\xE4hlen Sie die heruntergeladene Image-Datei aus" },
    verify_choose_named: { message: "W\xE4hlen Sie die heruntergeladene Datei $FILE$ aus", placeholders: { file: { content: "$1" } } },
    verify_pick_button: { message: "Datei ausw\xE4hlen \u2026" },
    verify_drop_hint: { message: "oder hierher ziehen" },
    verify_hashing: { message: "$FILE$ wird gepr\xFCft \u2026", placeholders: { file: { content: "$1" } } },
    verify_deciding: { message: "Signierte Ver\xF6ffentlichungsdaten werden gepr\xFCft \u2026" },
    verify_cancelled: { message: "Abgebrochen. W\xE4hlen Sie die Datei erneut, um neu zu beginnen." },
    options_title: { message: "ISO-Verify-Einstellungen" },
    options_profile_heading: { message: "Wem ISO Verify vertraut" },
    options_profile: { message: "Profil" },
    options_official_site: { message: "Offizielle Website" },
    options_pinned_keys: { message: "Hinterlegte Signaturschl\xFCssel" },
    options_rebuilders: { message: "Nachbauer" },
    options_rebuilders_value: { message: "$NAMES$ ($NEEDED$ erforderlich)", placeholders: { names: { content: "$1" }, needed: { content: "$2" } } },
    options_rebuilders_none: { message: "keine eingerichtet" },
    options_pinned_explain: { message: "Nur Signaturen dieser Schl\xFCssel z\xE4hlen. Sie sind in diese Version von ISO Verify eingebaut und \xE4ndern sich nur mit einem Update." },
    options_file_access_heading: { message: "Zugriff auf heruntergeladene Dateien" },
    options_file_access_yes: { message: "Erlaubt: ISO Verify liest fertige Downloads selbst und pr\xFCft sie automatisch." },
    options_file_access_no: { message: "Nicht erlaubt: Nach jedem Download w\xE4hlen Sie die Datei auf der Pr\xFCfseite aus. So werden Downloads in Chrome automatisch gepr\xFCft:" },
    options_file_access_step1: { message: "\xD6ffnen Sie chrome://extensions in einem neuen Tab." },
    options_file_access_step2: { message: "Klicken Sie bei ISO Verify auf \u201EDetails\u201C." },
    options_file_access_step3: { message: "Aktivieren Sie \u201EZugriff auf Datei-URLs zulassen\u201C." },
    options_file_access_unknown: { message: "In diesem Browser nicht n\xF6tig oder noch unbekannt: Downloads werden beim Herunterladen oder auf der Pr\xFCfseite gepr\xFCft." },
    options_tools_heading: { message: "Werkzeuge" },
    options_check_mirror: { message: "Einen Spiegelserver pr\xFCfen" },
    err_input_too_large: { message: "Die Eingabe ist gr\xF6\xDFer als erlaubt." },
    err_input_malformed: { message: "Die Eingabe ist fehlerhaft." },
    err_input_missing_field: { message: "Ein erforderliches Feld fehlt." },
    err_input_wrong_type: { message: "Ein Feld hat den falschen Typ." },
    err_input_invalid_value: { message: "Ein Feld hat einen ung\xFCltigen Wert." },
    err_descriptor_malformed: { message: "Die Image-Beschreibung ist fehlerhaft." },
    err_descriptor_no_release: { message: "Die Image-Beschreibung nennt keine Version f\xFCr dieses Image." },
    err_descriptor_wrong_product: { message: "Die Image-Beschreibung gilt f\xFCr ein anderes Produkt." },
    err_descriptor_expired: { message: "Die Image-Beschreibung ist zu alt, um ihr zu vertrauen." },
    err_upgrade_description_malformed: { message: "Die Upgrade-Beschreibung ist fehlerhaft." },
    err_mirror_pool_malformed: { message: "Die Liste der Spiegelserver ist fehlerhaft." },
    err_profile_invalid: { message: "Das Profil ist ung\xFCltig." },
    err_signature_malformed: { message: "Die Signatur ist fehlerhaft." },
    err_signature_bad: { message: "Die Signatur passt nicht zu den Daten: Die Daten wurden ver\xE4ndert oder die Signatur ist gef\xE4lscht." },
    err_signature_unknown_key: { message: "Die Signatur wurde mit einem unbekannten Schl\xFCssel erstellt." },
    err_signature_key_not_pinned: { message: "Die Signatur wurde nicht mit dem hinterlegten Signaturschl\xFCssel des Projekts erstellt." },
    err_signature_key_expired: { message: "Der Signaturschl\xFCssel war beim Erstellen der Signatur abgelaufen." },
    err_signature_key_revoked: { message: "Der Signaturschl\xFCssel ist widerrufen." },
    err_signature_key_not_signing: { message: "Der Schl\xFCssel, der die Signatur erstellt hat, darf nicht signieren." },
    err_signature_weak_hash: { message: "Die Signatur verwendet ein schwaches Hash-Verfahren (SHA-1 oder MD5)." },
    err_signature_weak_key: { message: "Der Signaturschl\xFCssel ist zu schwach (RSA unter 2048 Bit oder ein nicht akzeptiertes Verfahren)." },
    err_signature_unsupported: { message: "Die Signatur verwendet ein Format, das dieses Werkzeug nicht unterst\xFCtzt." },
    err_signature_in_future: { message: "Die Signatur gibt einen Zeitpunkt in der Zukunft an." },
    err_signature_expired: { message: "Die Signatur ist abgelaufen: Ihr Ersteller hat ein Datum festgelegt, nach dem sie nicht mehr gilt." },
    err_signature_missing: { message: "F\xFCr diese Daten wurde keine Signatur ver\xF6ffentlicht, oder sie konnte nicht bezogen werden." },
    err_key_malformed: { message: "Der Signaturschl\xFCssel ist fehlerhaft." },
    err_key_wrong_primary: { message: "Der angebotene Schl\xFCssel ist nicht der hinterlegte Hauptschl\xFCssel." },
    err_key_no_pinned: { message: "Es ist kein hinterlegter Schl\xFCssel verf\xFCgbar." },
    err_rollback: { message: "Die Ver\xF6ffentlichungsdaten sind \xE4lter als bereits gesehene Daten: Jemand spielt m\xF6glicherweise eine alte Version ein." },
    err_fetch_failed: { message: "Die Ver\xF6ffentlichungsdaten konnten nicht heruntergeladen werden." },
    err_fetch_timeout: { message: "Der Server hat zu lange nicht geantwortet." },
    err_fetch_too_large: { message: "Der Server hat mehr Daten gesendet als erlaubt." },
    err_fetch_http_status: { message: "Der Server hat mit einem Fehlerstatus geantwortet." },
    err_fetch_insecure_url: { message: "Ver\xF6ffentlichungsdaten m\xFCssen \xFCber HTTPS von der offiziellen Website kommen." },
    err_io_failed: { message: "Die Datei konnte nicht gelesen werden." },
    err_aborted: { message: "Abgebrochen." },
    err_hash_state_invalid: { message: "Der gespeicherte Pr\xFCffortschritt ist ung\xFCltig; die Pr\xFCfung beginnt von vorn." },
    err_attestation_malformed: { message: "Die Nachbau-Best\xE4tigung ist fehlerhaft." },
    err_attestation_bad_signature: { message: "Die Signatur der Nachbau-Best\xE4tigung ist ung\xFCltig." },
    err_attestation_unsigned: { message: "Die Nachbau-Best\xE4tigung ist nicht mit dem hinterlegten Schl\xFCssel des Nachbauers signiert." },
    err_rebuilder_key_invalid: { message: "Der hinterlegte Schl\xFCssel des Nachbauers ist ung\xFCltig." },
    err_usage: { message: "Ung\xFCltige Verwendung." },
    err_internal: { message: "Ein interner Fehler ist aufgetreten." },
    bg_title_verified: { message: "Verifiziert" },
    bg_line_verified: { message: "$FILE$ ist echt und vollst\xE4ndig: signiert mit dem hinterlegten Schl\xFCssel des Projekts.", placeholders: { file: { content: "$1", example: "tails-amd64-7.2.img" } } },
    bg_title_mismatch: { message: "Diese Datei nicht verwenden" },
    bg_line_mismatch: { message: "$FILE$ ist vollst\xE4ndig, aber ihr Inhalt weicht von der Ver\xF6ffentlichung ab: von einem anderen Spiegelserver erneut herunterladen.", placeholders: { file: { content: "$1", example: "tails-amd64-7.2.img" } } },
    bg_title_incomplete: { message: "Download unvollst\xE4ndig" },
    bg_line_incomplete: { message: "$FILE$ ist k\xFCrzer als die Ver\xF6ffentlichung: den Download fortsetzen.", placeholders: { file: { content: "$1", example: "tails-amd64-7.2.img" } } },
    bg_title_oversized: { message: "Diese Datei nicht verwenden" },
    bg_line_oversized: { message: "$FILE$ ist gr\xF6\xDFer, als die Ver\xF6ffentlichung angibt.", placeholders: { file: { content: "$1", example: "tails-amd64-7.2.img" } } },
    bg_title_wrong_release: { message: "Nicht die aktuelle Ver\xF6ffentlichung" },
    bg_line_wrong_release: { message: "$FILE$ ist nicht die Datei, die die aktuelle Ver\xF6ffentlichung beschreibt.", placeholders: { file: { content: "$1", example: "tails-amd64-7.2.img" } } },
    bg_title_unverifiable: { message: "Pr\xFCfung nicht m\xF6glich" },
    bg_line_unverifiable: { message: "F\xFCr $FILE$ waren keine vertrauensw\xFCrdigen Ver\xF6ffentlichungsdaten zu bekommen. Details zeigen den Grund.", placeholders: { file: { content: "$1", example: "tails-amd64-7.2.img" } } },
    bg_title_checksum_only: { message: "Pr\xFCfsumme stimmt, keine Signatur" },
    bg_line_checksum_only: { message: "$FILE$ stimmt nur mit einer unsignierten Pr\xFCfsumme \xFCberein; das ist schw\xE4cher als eine Signatur.", placeholders: { file: { content: "$1", example: "tails-amd64-7.2.img" } } },
    bg_title_pick_file: { message: "Datei zum Pr\xFCfen ausw\xE4hlen" },
    bg_line_pick_file: { message: "$FILE$ ist heruntergeladen. Hier klicken und die Datei ausw\xE4hlen, um sie zu pr\xFCfen.", placeholders: { file: { content: "$1", example: "tails-amd64-7.2.img" } } },
    bg_title_error: { message: "Pr\xFCfung abgebrochen" },
    bg_line_error: { message: "Die Pr\xFCfung von $FILE$ ist fehlgeschlagen. In den Details erneut versuchen.", placeholders: { file: { content: "$1", example: "tails-amd64-7.2.img" } } },
    bg_title_interrupted: { message: "Download unterbrochen" },
    bg_badge_downloading: { message: "$FILE$ wird heruntergeladen und gepr\xFCft", placeholders: { file: { content: "$1", example: "tails-amd64-7.2.img" } } },
    bg_badge_hashing: { message: "$FILE$ wird gepr\xFCft", placeholders: { file: { content: "$1", example: "tails-amd64-7.2.img" } } },
    bg_badge_verifying: { message: "$FILE$ wird mit den signierten Ver\xF6ffentlichungsdaten verglichen", placeholders: { file: { content: "$1", example: "tails-amd64-7.2.img" } } }
  };

  // public/_locales/en/messages.json
  var messages_default2 = {
    extName: { message: "ISO Verify", description: "Extension name" },
    extDescription: { message: "Verifies downloaded operating-system images (Tails) against signed release data.", description: "Extension description" },
    loading: { message: "Loading\u2026" },
    type_iso: { message: "ISO image" },
    type_img: { message: "USB image (IMG)" },
    release_name: { message: "$PRODUCT$ $VERSION$, $TYPE$", placeholders: { product: { content: "$1" }, version: { content: "$2" }, type: { content: "$3" } } },
    size_with_exact: { message: "$SIZE$ ($BYTES$ bytes)", placeholders: { size: { content: "$1" }, bytes: { content: "$2" } } },
    verdict_verified: { message: "Verified: $RELEASE$, signed by $SIGNER$", placeholders: { release: { content: "$1" }, signer: { content: "$2" } } },
    verdict_verified_explain: { message: "This file is exactly the image $PRODUCT$ published, and its signature (made $DATE$) is valid. You can use it.", placeholders: { product: { content: "$1" }, date: { content: "$2" } } },
    verdict_mismatch: { message: "Do not use this file: it is not the file $PRODUCT$ published", placeholders: { product: { content: "$1" } } },
    verdict_mismatch_explain: { message: "It has the size of $RELEASE$ but different contents: it was damaged or changed, possibly by the mirror. Delete it and download it again, preferably from another mirror.", placeholders: { release: { content: "$1" } } },
    verdict_incomplete: { message: "The download is incomplete ($RECEIVED$ of $TOTAL$)", placeholders: { received: { content: "$1" }, total: { content: "$2" } } },
    verdict_incomplete_explain: { message: "The download of $RELEASE$ stopped before the end. Resume it; the file is checked again when it is complete.", placeholders: { release: { content: "$1" } } },
    verdict_oversized: { message: "Do not use this file: it is larger than $RELEASE$", placeholders: { release: { content: "$1" } } },
    verdict_oversized_explain: { message: "It has $EXTRA$ more than the image $PRODUCT$ published, so it is not that image. Download the image again.", placeholders: { extra: { content: "$1" }, product: { content: "$2" } } },
    verdict_wrong_release: { message: "$FILE$ is not $RELEASE$", placeholders: { file: { content: "$1" }, release: { content: "$2" } } },
    verdict_wrong_release_unknown: { message: "$FILE$ is not an image of the current release", placeholders: { file: { content: "$1" } } },
    verdict_wrong_release_todo: { message: "Do not install from it. Download the current image from the official website." },
    wrong_release_other_version: { message: "It is a different version of $PRODUCT$. The release it was checked against is $VERSION$.", placeholders: { product: { content: "$1" }, version: { content: "$2" }, type: { content: "$3" } } },
    wrong_release_older_version: { message: "It is an older release of $PRODUCT$. The current release is $VERSION$; older releases have known security problems.", placeholders: { product: { content: "$1" }, version: { content: "$2" }, type: { content: "$3" } } },
    wrong_release_other_type: { message: "It is a different kind of image than the $TYPE$ of $PRODUCT$ $VERSION$.", placeholders: { product: { content: "$1" }, version: { content: "$2" }, type: { content: "$3" } } },
    wrong_release_other_product: { message: "It is an image of a different product, not of $PRODUCT$.", placeholders: { product: { content: "$1" }, version: { content: "$2" }, type: { content: "$3" } } },
    wrong_release_unknown_file: { message: "Its name matches no image of $PRODUCT$ $VERSION$.", placeholders: { product: { content: "$1" }, version: { content: "$2" }, type: { content: "$3" } } },
    wrong_release_no_expected: { message: "The current release data describes no such file." },
    verdict_unverifiable: { message: "Could not verify this file" },
    unverifiable_offline: { message: "The release data could not be downloaded." },
    unverifiable_offline_todo: { message: "Check your internet connection and try again." },
    unverifiable_descriptor_invalid: { message: "The release data is malformed or incomplete." },
    unverifiable_descriptor_invalid_todo: { message: "Try again later. If this keeps happening, tell the project." },
    unverifiable_descriptor_expired: { message: "The signed release data is too old to be trusted." },
    unverifiable_descriptor_expired_todo: { message: "Try again later, when the project has published fresh data." },
    unverifiable_rollback: { message: "The release data is older than data already seen here: someone may be replaying an old release." },
    unverifiable_rollback_todo: { message: "Do not use this file. Try again later or from another network." },
    unverifiable_signature_bad: { message: "The signature does not match: the release data or the file was changed." },
    unverifiable_signature_bad_todo: { message: "Do not use this file. Download it again from another mirror." },
    unverifiable_signature_unknown_key: { message: "The signature was not made by the project's pinned signing key." },
    unverifiable_signature_unknown_key_todo: { message: "Do not use this file. Download it again from the official website." },
    unverifiable_key_invalid: { message: "The signing key is expired, revoked, too weak or not the pinned key." },
    unverifiable_key_invalid_todo: { message: "Update ISO Verify, then check the file again." },
    unverifiable_no_signature: { message: "No signed release data covers this file, and no published checksum matched it." },
    unverifiable_no_signature_todo: { message: "Check that you downloaded the image linked from the official website." },
    unverifiable_hash_failed: { message: "The file could not be read." },
    unverifiable_hash_failed_todo: { message: "Make sure the download has finished, then choose the file again." },
    verdict_checksum_only: { message: "Matches an unsigned checksum only \u2014 not verified by signature" },
    verdict_checksum_only_explain: { message: "The file matches the checksum published for $RELEASE$, but no signature confirms that checksum: whoever controls the website or your connection could have changed both.", placeholders: { release: { content: "$1" } } },
    verdict_more: { message: "Why, and what was checked" },
    evidence_show: { message: "Show what was checked" },
    ev_file: { message: "File" },
    ev_size: { message: "Size" },
    ev_expected_size: { message: "Expected size" },
    ev_sha256_expected: { message: "Expected SHA-256" },
    ev_sha256_computed: { message: "Computed SHA-256" },
    ev_not_computed: { message: "not computed" },
    ev_hash_same: { message: "same" },
    ev_hash_differs: { message: "differs" },
    ev_release: { message: "Release" },
    ev_profile: { message: "Profile" },
    ev_checked_at: { message: "Checked" },
    ev_signatures: { message: "Signatures" },
    ev_no_signatures: { message: "No signature was checked." },
    ev_inputs: { message: "Release data used" },
    ev_no_inputs: { message: "No release data was obtained." },
    ev_signature_good: { message: "valid" },
    ev_signature_bad: { message: "not valid" },
    ev_primary_key: { message: "Primary key" },
    ev_signing_key: { message: "Signing key" },
    ev_key_id: { message: "Key ID" },
    ev_signature_date: { message: "Signed" },
    ev_algorithms: { message: "Algorithms" },
    ev_problem: { message: "Problem" },
    signature_over_description: { message: "over the image description" },
    signature_over_image: { message: "over the image file" },
    signature_over_upgrade_description: { message: "over the upgrade description" },
    input_description: { message: "Image description" },
    input_description_signature: { message: "Signature of the image description" },
    input_image_signature: { message: "Signature of the image" },
    input_upgrade_description: { message: "Upgrade description" },
    input_upgrade_description_signature: { message: "Signature of the upgrade description" },
    input_mirror_pool: { message: "Mirror list" },
    input_signing_key: { message: "Signing key" },
    repro_mismatch: { message: "A rebuilder got different bytes" },
    repro_none_configured: { message: "No independent rebuilders are configured for this project" },
    repro_met: { message: "Independently reproduced by $COUNT$ of $TOTAL$ rebuilders", placeholders: { count: { content: "$1" }, total: { content: "$2" } } },
    repro_partial: { message: "Reproduced by $COUNT$ of $TOTAL$ rebuilders ($NEEDED$ needed)", placeholders: { count: { content: "$1" }, total: { content: "$2" }, needed: { content: "$3" } } },
    repro_not_yet: { message: "Not reproduced yet" },
    repro_show_rebuilders: { message: "Rebuilders" },
    repro_build_log: { message: "Build log" },
    repro_checked_at: { message: "Asked $DATE$", placeholders: { date: { content: "$1" } } },
    repro_checking: { message: "Asking independent rebuilders\u2026" },
    rebuilder_reproduced: { message: "reproduced" },
    rebuilder_mismatch: { message: "different bytes" },
    rebuilder_failed: { message: "build failed" },
    rebuilder_pending: { message: "not built yet" },
    rebuilder_unknown: { message: "does not know this file" },
    rebuilder_unreachable: { message: "unreachable" },
    rebuilder_bad_attestation: { message: "invalid attestation" },
    progress_amount: { message: "$DONE$ of $TOTAL$", placeholders: { done: { content: "$1" }, total: { content: "$2" } } },
    progress_percent: { message: "$PERCENT$%", placeholders: { percent: { content: "$1" } } },
    progress_eta: { message: "$TIME$ left", placeholders: { time: { content: "$1" } } },
    progress_announce: { message: "$LABEL$ $PERCENT$%", placeholders: { label: { content: "$1" }, percent: { content: "$2" } } },
    phase_downloading: { message: "Downloading\u2026" },
    phase_hashing: { message: "Checking the file\u2026" },
    phase_awaiting_file: { message: "Waiting for you to choose the file" },
    phase_verifying: { message: "Checking the signature\u2026" },
    phase_done: { message: "Done" },
    phase_interrupted: { message: "The download was interrupted." },
    phase_cancelled: { message: "Cancelled." },
    download_from: { message: "from $HOST$", placeholders: { host: { content: "$1" } } },
    download_awaiting_file: { message: "The browser does not let ISO Verify read this file by itself. Open the verification page and choose it." },
    popup_empty_title: { message: "No downloads to check yet" },
    popup_empty_body: { message: "When you download a Tails image from the official website or one of its mirrors, ISO Verify checks it against the signed release data and shows the result here. You can also check a file you already have." },
    action_resume_download: { message: "Resume download" },
    action_other_mirror: { message: "Download it from another mirror" },
    action_cancel: { message: "Cancel" },
    action_open_verify_page: { message: "Open verification page" },
    action_retry: { message: "Try again" },
    action_forget: { message: "Forget" },
    action_settings: { message: "Settings" },
    action_verify_a_file: { message: "Verify a file on this computer" },
    verify_title: { message: "Verify a downloaded image" },
    verify_intro: { message: "ISO Verify checks the file on this computer against the release data signed by the project. The file is not uploaded anywhere." },
    verify_choose: { message: "Choose the image file you downloaded" },
    verify_choose_named: { message: "Choose the file $FILE$ you downloaded", placeholders: { file: { content: "$1" } } },
    verify_pick_button: { message: "Choose file\u2026" },
    verify_drop_hint: { message: "or drop it here" },
    verify_hashing: { message: "Checking $FILE$\u2026", placeholders: { file: { content: "$1" } } },
    verify_deciding: { message: "Checking the signed release data\u2026" },
    verify_cancelled: { message: "Cancelled. Choose the file again to start over." },
    options_title: { message: "ISO Verify settings" },
    options_profile_heading: { message: "What ISO Verify trusts" },
    options_profile: { message: "Profile" },
    options_official_site: { message: "Official website" },
    options_pinned_keys: { message: "Pinned signing keys" },
    options_rebuilders: { message: "Rebuilders" },
    options_rebuilders_value: { message: "$NAMES$ ($NEEDED$ needed)", placeholders: { names: { content: "$1" }, needed: { content: "$2" } } },
    options_rebuilders_none: { message: "none configured" },
    options_pinned_explain: { message: "Only signatures by these keys count. They are built into this version of ISO Verify and change only with an update." },
    options_file_access_heading: { message: "Access to downloaded files" },
    options_file_access_yes: { message: "Allowed: ISO Verify reads finished downloads itself and checks them automatically." },
    options_file_access_no: { message: "Not allowed: after each download you choose the file on the verification page. To check downloads automatically in Chrome:" },
    options_file_access_step1: { message: "Open chrome://extensions in a new tab." },
    options_file_access_step2: { message: "Under ISO Verify, click Details." },
    options_file_access_step3: { message: "Turn on \u201CAllow access to file URLs\u201D." },
    options_file_access_unknown: { message: "Not needed in this browser, or not known yet: downloads are checked while they arrive or on the verification page." },
    options_tools_heading: { message: "Tools" },
    options_check_mirror: { message: "Check a mirror" },
    err_input_too_large: { message: "The input is larger than allowed." },
    err_input_malformed: { message: "The input is malformed." },
    err_input_missing_field: { message: "A required field is missing." },
    err_input_wrong_type: { message: "A field has the wrong type." },
    err_input_invalid_value: { message: "A field has an invalid value." },
    err_descriptor_malformed: { message: "The release description is malformed." },
    err_descriptor_no_release: { message: "The release description names no release for this image." },
    err_descriptor_wrong_product: { message: "The release description is for another product." },
    err_descriptor_expired: { message: "The release description is too old to be trusted." },
    err_upgrade_description_malformed: { message: "The upgrade description is malformed." },
    err_mirror_pool_malformed: { message: "The mirror list is malformed." },
    err_profile_invalid: { message: "The profile is invalid." },
    err_signature_malformed: { message: "The signature is malformed." },
    err_signature_bad: { message: "The signature does not match the data: the data was changed or the signature is forged." },
    err_signature_unknown_key: { message: "The signature was made by a key that is not known." },
    err_signature_key_not_pinned: { message: "The signature was made by a key that is not the project's pinned signing key." },
    err_signature_key_expired: { message: "The signing key had expired when the signature was made." },
    err_signature_key_revoked: { message: "The signing key is revoked." },
    err_signature_key_not_signing: { message: "The key that made the signature is not allowed to sign." },
    err_signature_weak_hash: { message: "The signature uses a weak hash algorithm (SHA-1 or MD5)." },
    err_signature_weak_key: { message: "The signing key is too weak (RSA under 2048 bits or an unaccepted algorithm)." },
    err_signature_unsupported: { message: "The signature uses a format this tool does not support." },
    err_signature_in_future: { message: "The signature claims a time in the future." },
    err_signature_expired: { message: "The signature has expired: its signer set a date after which it is no longer valid." },
    err_signature_missing: { message: "No signature was published for this data, or it could not be obtained." },
    err_key_malformed: { message: "The signing key is malformed." },
    err_key_wrong_primary: { message: "The key offered is not the pinned primary key." },
    err_key_no_pinned: { message: "No pinned key is available." },
    err_rollback: { message: "The release data is older than data already seen: someone may be replaying an old release." },
    err_fetch_failed: { message: "The release data could not be downloaded." },
    err_fetch_timeout: { message: "The server took too long to answer." },
    err_fetch_too_large: { message: "The server sent more data than allowed." },
    err_fetch_http_status: { message: "The server answered with an error status." },
    err_fetch_insecure_url: { message: "Release data must come over HTTPS from the official site." },
    err_io_failed: { message: "The file could not be read." },
    err_aborted: { message: "Cancelled." },
    err_hash_state_invalid: { message: "The saved hashing progress is invalid; hashing starts again." },
    err_attestation_malformed: { message: "The rebuild attestation is malformed." },
    err_attestation_bad_signature: { message: "The rebuild attestation's signature is not valid." },
    err_attestation_unsigned: { message: "The rebuild attestation is not signed by the rebuilder's pinned key." },
    err_rebuilder_key_invalid: { message: "The rebuilder's pinned key is invalid." },
    err_usage: { message: "Invalid usage." },
    err_internal: { message: "An internal error occurred." },
    bg_title_verified: { message: "Verified" },
    bg_line_verified: { message: "$FILE$ is authentic and complete: signed by the project's pinned key.", placeholders: { file: { content: "$1", example: "tails-amd64-7.2.img" } } },
    bg_title_mismatch: { message: "Do not use this file" },
    bg_line_mismatch: { message: "$FILE$ is complete but its contents differ from the release: download it again from another mirror.", placeholders: { file: { content: "$1", example: "tails-amd64-7.2.img" } } },
    bg_title_incomplete: { message: "Download incomplete" },
    bg_line_incomplete: { message: "$FILE$ is shorter than the release: resume the download.", placeholders: { file: { content: "$1", example: "tails-amd64-7.2.img" } } },
    bg_title_oversized: { message: "Do not use this file" },
    bg_line_oversized: { message: "$FILE$ is larger than the release describes.", placeholders: { file: { content: "$1", example: "tails-amd64-7.2.img" } } },
    bg_title_wrong_release: { message: "Not the current release" },
    bg_line_wrong_release: { message: "$FILE$ is not the file the current release describes.", placeholders: { file: { content: "$1", example: "tails-amd64-7.2.img" } } },
    bg_title_unverifiable: { message: "Could not verify" },
    bg_line_unverifiable: { message: "No trustworthy release data could be obtained to check $FILE$. Open the details to see why.", placeholders: { file: { content: "$1", example: "tails-amd64-7.2.img" } } },
    bg_title_checksum_only: { message: "Checksum matched, no signature" },
    bg_line_checksum_only: { message: "$FILE$ matches an unsigned checksum only; this is weaker than a signature.", placeholders: { file: { content: "$1", example: "tails-amd64-7.2.img" } } },
    bg_title_pick_file: { message: "Pick the file to verify it" },
    bg_line_pick_file: { message: "$FILE$ has finished downloading. Click here and pick it to verify it.", placeholders: { file: { content: "$1", example: "tails-amd64-7.2.img" } } },
    bg_title_error: { message: "Verification stopped" },
    bg_line_error: { message: "Verifying $FILE$ failed. Open the details to retry.", placeholders: { file: { content: "$1", example: "tails-amd64-7.2.img" } } },
    bg_title_interrupted: { message: "Download interrupted" },
    bg_badge_downloading: { message: "Downloading and verifying $FILE$", placeholders: { file: { content: "$1", example: "tails-amd64-7.2.img" } } },
    bg_badge_hashing: { message: "Checking $FILE$", placeholders: { file: { content: "$1", example: "tails-amd64-7.2.img" } } },
    bg_badge_verifying: { message: "Checking $FILE$ against the signed release data", placeholders: { file: { content: "$1", example: "tails-amd64-7.2.img" } } }
  };

  // test/unit/ui/fixtures.ts
  var TAILS_PRIMARY = "A490D0F4D311A4153E2BB7CADBB802B258ACD84F";
  var TAILS_SIGNING_ED25519 = "CD4D4351AFA6933F574A9AFB90B2B4BD7AED235F";
  var RELEASE_SHA256 = "5f3e2b1c9a4d7e8f0a1b2c3d4e5f60718293a4b5c6d7e8f9012345678abcdef0";
  var OTHER_SHA256 = "0c1d2e3f405162738495a6b7c8d9eaf0b1c2d3e4f5061728394a5b6c7d8e9f00";
  var IMG_SIZE = 1561427968;
  var expectedImg = {
    product: "Tails",
    version: "7.2",
    type: "img",
    name: "tails-amd64-7.2.img",
    url: "https://download.tails.net/tails/stable/tails-amd64-7.2/tails-amd64-7.2.img",
    size: IMG_SIZE,
    sha256: RELEASE_SHA256
  };
  var goodImageSignature = {
    over: "image",
    good: true,
    primaryFingerprint: TAILS_PRIMARY,
    signingKeyFingerprint: TAILS_SIGNING_ED25519,
    keyId: "90B2B4BD7AED235F",
    signatureTime: "2025-11-18T14:02:11.000Z",
    hashAlgorithm: "SHA-512",
    publicKeyAlgorithm: "EdDSA"
  };
  var inputs = [
    { role: "description", source: "https://tails.net/install/v2/Tails/amd64/stable/latest.json", fetchedAt: "2025-11-20T09:15:02.000Z", bytes: 1214 },
    { role: "image-signature", source: "https://tails.net/torrents/files/tails-amd64-7.2.img.sig", fetchedAt: "2025-11-20T09:15:02.000Z", bytes: 228 },
    { role: "signing-key", source: "https://tails.net/tails-signing.key", fetchedAt: "2025-11-20T09:15:03.000Z", bytes: 1318114 }
  ];
  function evidence(overrides = {}) {
    const { size = IMG_SIZE, sha256 = RELEASE_SHA256, name = "tails-amd64-7.2.img", ...rest } = overrides;
    return {
      file: { name, size, sha256 },
      expected: expectedImg,
      signatures: [goodImageSignature],
      inputs,
      profile: "tails",
      checkedAt: "2025-11-20T09:15:41.000Z",
      ...rest
    };
  }
  var verdicts = {
    verified: {
      kind: "verified",
      expected: expectedImg,
      signer: { primaryFingerprint: TAILS_PRIMARY, signingKeyFingerprint: TAILS_SIGNING_ED25519, signatureTime: goodImageSignature.signatureTime, over: "image" },
      evidence: evidence()
    },
    mismatch: { kind: "mismatch", expected: expectedImg, evidence: evidence({ sha256: OTHER_SHA256 }) },
    incomplete: { kind: "incomplete", expected: expectedImg, missingBytes: IMG_SIZE - 8124e5, evidence: evidence({ size: 8124e5, sha256: OTHER_SHA256 }) },
    oversized: { kind: "oversized", expected: expectedImg, extraBytes: 4096, evidence: evidence({ size: IMG_SIZE + 4096, sha256: OTHER_SHA256 }) },
    "wrong-release": {
      kind: "wrong-release",
      reason: "older-version",
      expected: expectedImg,
      evidence: evidence({ name: "tails-amd64-6.19.img", size: 1498001408, sha256: OTHER_SHA256, signatures: [] })
    },
    unverifiable: {
      kind: "unverifiable",
      reason: "offline",
      error: { code: "fetch-failed", detail: "https://tails.net/install/v2/Tails/amd64/stable/latest.json: network error" },
      evidence: evidence({
        expected: void 0,
        signatures: [],
        inputs: [
          {
            role: "description",
            source: "https://tails.net/install/v2/Tails/amd64/stable/latest.json",
            error: { code: "fetch-failed", detail: "network error" }
          }
        ]
      })
    },
    "checksum-only": {
      kind: "checksum-only",
      expected: expectedImg,
      error: { code: "signature-missing", detail: "https://tails.net/torrents/files/tails-amd64-7.2.img.sig: HTTP 404" },
      evidence: evidence({
        signatures: [],
        inputs: [
          inputs[0],
          { role: "image-signature", source: "https://tails.net/torrents/files/tails-amd64-7.2.img.sig", error: { code: "fetch-http-status", detail: "HTTP 404" } }
        ]
      })
    }
  };
  var signatureBadVerdict = {
    kind: "unverifiable",
    reason: "signature-bad",
    error: { code: "signature-bad", detail: "image signature by 90B2B4BD7AED235F" },
    evidence: evidence({
      sha256: OTHER_SHA256,
      signatures: [{ ...goodImageSignature, good: false, error: { code: "signature-bad", detail: "hash prefix mismatch" } }]
    })
  };
  var rebuilderBase = { baseUrl: "https://rebuilder.example.org", keyId: "a".repeat(64) };
  var repro = {
    met: {
      fileName: "tails-amd64-7.2.img",
      threshold: 2,
      reproducedBy: 2,
      anyMismatch: false,
      met: true,
      checkedAt: "2025-11-20T09:15:44.000Z",
      rebuilders: [
        { ...rebuilderBase, name: "rebuilder.riseup.example", keyId: "1".repeat(64), state: "reproduced", attestedSha256: RELEASE_SHA256, date: "2025-11-18T20:31:00.000Z", buildLogUrl: "https://rebuilder.riseup.example/api/v1/builds/4411/log" },
        { ...rebuilderBase, name: "reproducible.torproject.example", keyId: "2".repeat(64), state: "reproduced", attestedSha256: RELEASE_SHA256, date: "2025-11-19T02:10:00.000Z", buildLogUrl: "https://reproducible.torproject.example/log/7.2" },
        { ...rebuilderBase, name: "rebuild.ccc.example", keyId: "3".repeat(64), state: "pending" }
      ]
    },
    notYet: {
      fileName: "tails-amd64-7.2.img",
      threshold: 2,
      reproducedBy: 0,
      anyMismatch: false,
      met: false,
      checkedAt: "2025-11-20T09:15:44.000Z",
      rebuilders: [
        { ...rebuilderBase, name: "rebuilder.riseup.example", keyId: "1".repeat(64), state: "pending" },
        { ...rebuilderBase, name: "reproducible.torproject.example", keyId: "2".repeat(64), state: "unreachable", detail: "fetch-timeout: 20 s" }
      ]
    },
    mismatch: {
      fileName: "tails-amd64-7.2.img",
      threshold: 2,
      reproducedBy: 1,
      anyMismatch: true,
      met: false,
      checkedAt: "2025-11-20T09:15:44.000Z",
      rebuilders: [
        { ...rebuilderBase, name: "rebuilder.riseup.example", keyId: "1".repeat(64), state: "reproduced", attestedSha256: RELEASE_SHA256, date: "2025-11-18T20:31:00.000Z" },
        { ...rebuilderBase, name: "reproducible.torproject.example", keyId: "2".repeat(64), state: "mismatch", attestedSha256: OTHER_SHA256, date: "2025-11-19T02:10:00.000Z", buildLogUrl: "javascript:alert(1)" }
      ]
    }
  };
  var downloadBase = {
    url: "https://download.tails.net/tails/stable/tails-amd64-7.2/tails-amd64-7.2.img",
    finalUrl: "https://mirror.example.net/tails/stable/tails-amd64-7.2/tails-amd64-7.2.img",
    fileName: "tails-amd64-7.2.img",
    mirror: "https://mirror.example.net/tails/",
    totalBytes: IMG_SIZE
  };
  var downloads = [
    {
      ...downloadBase,
      id: "dl-3",
      downloadId: 3,
      startedAt: "2025-11-20T09:10:00.000Z",
      updatedAt: "2025-11-20T09:12:00.000Z",
      phase: "downloading",
      receivedBytes: 702e6,
      progress: { bytes: 702e6, total: IMG_SIZE, rate: 114e5, etaSeconds: 75.4 }
    },
    {
      ...downloadBase,
      id: "dl-2",
      downloadId: 2,
      startedAt: "2025-11-20T08:00:00.000Z",
      updatedAt: "2025-11-20T08:05:00.000Z",
      phase: "done",
      receivedBytes: IMG_SIZE,
      verdict: verdicts.verified,
      repro: repro.met
    },
    {
      ...downloadBase,
      id: "dl-1",
      downloadId: 1,
      startedAt: "2025-11-19T18:00:00.000Z",
      updatedAt: "2025-11-19T18:01:00.000Z",
      phase: "interrupted",
      receivedBytes: 412e6
    }
  ];
  var hashingProgress = { bytes: 905e6, total: IMG_SIZE, rate: 612e6, etaSeconds: 1.07 };

  // test/ui-gallery/gallery.tsx
  var params = new URLSearchParams(location.search);
  var shot = params.get("shot") ?? "all";
  var theme = params.get("theme") === "dark" ? "dark" : "light";
  var lang = params.get("lang") === "de" ? "de" : "en";
  var t3 = dictionaryT(lang === "de" ? messages_default : messages_default2, lang);
  var noop = () => void 0;
  function Caption({ children }) {
    return /* @__PURE__ */ u3("p", { class: "gallery-caption", children });
  }
  function Verdicts() {
    const all = [...VERDICT_KINDS.map((kind) => [kind, verdicts[kind]]), ["unverifiable (signature-bad)", signatureBadVerdict]];
    return /* @__PURE__ */ u3(S, { children: all.map(([name, verdict]) => /* @__PURE__ */ u3("div", { children: [
      /* @__PURE__ */ u3(Caption, { children: name }),
      /* @__PURE__ */ u3(
        VerdictView,
        {
          verdict,
          onResume: noop,
          ...verdict.kind === "mismatch" ? { alternativeUrl: "https://mirror2.example.org/tails/stable/tails-amd64-7.2/tails-amd64-7.2.img" } : {}
        }
      )
    ] }, name)) });
  }
  function Evidence() {
    return /* @__PURE__ */ u3(S, { children: [
      /* @__PURE__ */ u3(Caption, { children: "verified, evidence open" }),
      /* @__PURE__ */ u3(VerdictView, { verdict: verdicts.verified, evidenceOpen: true }),
      /* @__PURE__ */ u3(Caption, { children: "unverifiable (signature-bad), evidence open" }),
      /* @__PURE__ */ u3(VerdictView, { verdict: signatureBadVerdict, evidenceOpen: true }),
      /* @__PURE__ */ u3(Caption, { children: "checksum-only, evidence open" }),
      /* @__PURE__ */ u3(VerdictView, { verdict: verdicts["checksum-only"], evidenceOpen: true })
    ] });
  }
  function ReproAndProgress() {
    return /* @__PURE__ */ u3(S, { children: [
      /* @__PURE__ */ u3(Caption, { children: "repro: met (open)" }),
      /* @__PURE__ */ u3(ReproView, { status: repro.met, open: true }),
      /* @__PURE__ */ u3(Caption, { children: "repro: not yet" }),
      /* @__PURE__ */ u3(ReproView, { status: repro.notYet }),
      /* @__PURE__ */ u3(Caption, { children: "repro: mismatch (open)" }),
      /* @__PURE__ */ u3(ReproView, { status: repro.mismatch, open: true }),
      /* @__PURE__ */ u3(Caption, { children: "progress: hashing" }),
      /* @__PURE__ */ u3(ProgressView, { progress: hashingProgress, label: t3("verify_hashing", "tails-amd64-7.2.img"), onCancel: noop }),
      /* @__PURE__ */ u3(Caption, { children: "progress: unknown total" }),
      /* @__PURE__ */ u3(ProgressView, { progress: { bytes: 412e6, rate: 98e5 }, label: t3("phase_downloading") })
    ] });
  }
  var popupDownloads = [
    ...downloads,
    { ...downloads[1], id: "dl-5", startedAt: "2025-11-20T08:30:00.000Z", verdict: verdicts.mismatch, repro: void 0 },
    { ...downloads[1], id: "dl-4", startedAt: "2025-11-20T08:20:00.000Z", phase: "awaiting-file", verdict: void 0, repro: void 0 }
  ];
  var tracked = downloads[1];
  function fakeDeps(finish) {
    return {
      hash: (_file, { onProgress }) => new Promise((resolve) => {
        onProgress(hashingProgress);
        if (finish) resolve({ bytes: 1, digests: { sha256: RELEASE_SHA256 }, continuations: {} });
      }),
      fetchMaterial: async () => "material",
      decide: async () => verdicts.verified,
      repro: async () => repro.met
    };
  }
  function pickFile() {
    const input = document.querySelector('[data-testid="file-input"]');
    if (!input) return;
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(4)], "tails-amd64-7.2.img"));
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }
  function Verify({ stage }) {
    return /* @__PURE__ */ u3(S, { children: /* @__PURE__ */ u3(
      VerifyPage,
      {
        deps: fakeDeps(stage === "done"),
        search: "?download=dl-2",
        findDownload: async () => tracked,
        attachVerdict: async () => void 0
      }
    ) });
  }
  var profile = {
    id: "tails",
    product: "Tails",
    officialSite: "https://tails.net",
    channel: "stable",
    architecture: "amd64",
    descriptionUrl: "https://tails.net/install/v2/Tails/amd64/stable/latest.json",
    pinnedFingerprints: [TAILS_PRIMARY],
    signingKey: "",
    imagePattern: "",
    maxDescriptionAgeDays: 0,
    rebuilders: [],
    reproThreshold: 1
  };
  var shots = {
    verdicts: () => /* @__PURE__ */ u3("div", { class: "gallery-pad", children: /* @__PURE__ */ u3(Verdicts, {}) }),
    evidence: () => /* @__PURE__ */ u3("div", { class: "gallery-pad", children: /* @__PURE__ */ u3(Evidence, {}) }),
    repro: () => /* @__PURE__ */ u3("div", { class: "gallery-pad", children: /* @__PURE__ */ u3(ReproAndProgress, {}) }),
    popup: () => /* @__PURE__ */ u3(PopupView, { downloads: popupDownloads, onOpenVerify: noop, onOpenSettings: noop, onResume: noop, onForget: noop, onCancel: noop }),
    "popup-empty": () => /* @__PURE__ */ u3(PopupView, { downloads: [], onOpenVerify: noop, onOpenSettings: noop, onResume: noop, onForget: noop }),
    "verify-idle": () => /* @__PURE__ */ u3(Verify, { stage: "idle" }),
    "verify-hashing": () => /* @__PURE__ */ u3(Verify, { stage: "hashing" }),
    "verify-done": () => /* @__PURE__ */ u3(Verify, { stage: "done" }),
    options: () => /* @__PURE__ */ u3(OptionsPage, { profile, loadState: async () => ({ downloads: [], profileId: "tails", pinnedFingerprints: [TAILS_PRIMARY], fileAccess: false }) })
  };
  function Gallery() {
    if (shot !== "all") return /* @__PURE__ */ u3(S, { children: (shots[shot] ?? shots.verdicts)() });
    return /* @__PURE__ */ u3(S, { children: Object.entries(shots).map(([name, make]) => /* @__PURE__ */ u3("section", { class: "gallery-section", children: [
      /* @__PURE__ */ u3("h2", { class: "gallery-title", children: name }),
      make()
    ] }, name)) });
  }
  document.documentElement.lang = lang;
  document.documentElement.dataset.theme = theme;
  if (params.get("width") === "popup" || shot.startsWith("popup")) document.body.classList.add("popup");
  R(
    /* @__PURE__ */ u3(I18nContext.Provider, { value: t3, children: /* @__PURE__ */ u3(Gallery, {}) }),
    document.getElementById("app")
  );
  if (shot === "verify-hashing" || shot === "verify-done") pickFile();
})();
